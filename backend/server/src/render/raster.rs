//! SVG to PNG with resvg, its text drawn in the DejaVu Sans font shipped
//! in `backend/server/fonts/` (embedded in the binary: images look the
//! same wherever the server runs).

use crate::error::{Error, Result};
use std::sync::{Arc, OnceLock};

/// DejaVu Sans 2.37 (Bitstream Vera licence, see fonts/LICENSE).
const DEJAVU_SANS: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// The font database, built once: parsing the font costs more than
/// drawing a small map.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(DEJAVU_SANS.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// The SVG drawn at `scale` pixels per unit, as PNG bytes.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: "DejaVu Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::Internal(format!("static map SVG: {e}")))?;
    let size =
        tree.size().to_int_size().scale_by(scale).ok_or_else(|| {
            Error::Internal(format!("static map size {:?} × {scale}", tree.size()))
        })?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| Error::Internal(format!("no pixmap of {size:?}")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Internal(format!("encoding the PNG: {e}")))
}
