//! Static maps: a view of the map (centre, zoom, size) drawn as SVG on
//! the server — the offline basemap (countries, Syria emphasised,
//! governorate capitals), the areas of control, the front lines, the
//! control points, the events, a legend, a title line with the date and
//! the attribution — and rasterised to PNG with resvg and the DejaVu Sans
//! font shipped in `backend/server/fonts/`. Pure: a scene in, bytes out.

mod raster;
mod style;
mod svg;

pub use raster::png;
pub use svg::svg;

use crate::areas::{Area, FrontLine};
use crate::basemap::{Capital, Outline};

/// Largest width or height of an image, in CSS pixels.
pub const MAX_SIDE: u32 = 2048;

/// What part of the world, how large (Web Mercator, as Leaflet).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub lat: f64,
    pub lon: f64,
    pub zoom: f64,
    pub width: u32,
    pub height: u32,
}

impl Frame {
    /// The size of the world in pixels at this zoom.
    fn world(&self) -> f64 {
        256.0 * self.zoom.exp2()
    }

    /// Mercator pixel of a point in the world at this zoom.
    fn world_px(&self, lon: f64, lat: f64) -> (f64, f64) {
        let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
        let x = (lon + 180.0) / 360.0;
        let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
        (x * self.world(), y * self.world())
    }

    /// The pixel of a point in the image (0, 0 top left).
    pub fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (cx, cy) = self.world_px(self.lon, self.lat);
        let (x, y) = self.world_px(lon, lat);
        (
            x - cx + self.width as f64 / 2.0,
            y - cy + self.height as f64 / 2.0,
        )
    }

    /// The point at a pixel of the image.
    fn lonlat(&self, px: f64, py: f64) -> (f64, f64) {
        let (cx, cy) = self.world_px(self.lon, self.lat);
        let x = (cx + px - self.width as f64 / 2.0) / self.world();
        let y = (cy + py - self.height as f64 / 2.0) / self.world();
        let lon = x * 360.0 - 180.0;
        let lat = (std::f64::consts::PI * (1.0 - 2.0 * y))
            .sinh()
            .atan()
            .to_degrees();
        (lon, lat)
    }

    /// West, south, east, north of the image, with `margin` pixels more
    /// on each side.
    pub fn bounds(&self, margin: f64) -> [f64; 4] {
        let (w, n) = self.lonlat(-margin, -margin);
        let (e, s) = self.lonlat(self.width as f64 + margin, self.height as f64 + margin);
        [w, s, e, n]
    }
}

/// A place's latest controller (a dot on the map).
#[derive(Debug, Clone, PartialEq)]
pub struct ControlDot {
    pub lat: f64,
    pub lon: f64,
    pub actor: Option<String>,
    pub stale: bool,
}

/// An event as the image draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDot {
    pub lat: f64,
    pub lon: f64,
    pub event_type: String,
    pub subtype: Option<String>,
    pub actor: Option<String>,
    pub fatalities: Option<i64>,
}

/// The words the image writes, in its language.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// The title line ("Frontline — contrôle au 31 décembre 2016").
    pub title: String,
    pub attribution: String,
    pub front_line: String,
    pub contested: String,
    /// The legend's name of the admin boundaries (`--boundaries`).
    pub boundaries: String,
    pub unknown: String,
    pub stale: String,
    pub english: bool,
}

/// Everything drawn on one image.
#[derive(Debug, Clone)]
pub struct Scene<'a> {
    pub frame: Frame,
    pub outlines: &'a [Outline],
    pub capitals: &'a [Capital],
    pub areas: &'a [Area],
    pub fronts: &'a [FrontLine],
    /// Admin boundaries given with `--boundaries`, when their layer is on.
    pub boundaries: &'a [geo::LineString<f64>],
    pub control: &'a [ControlDot],
    pub events: &'a [EventDot],
    /// The event a link points at: ringed and drawn above the others.
    pub highlight: Option<&'a EventDot>,
    pub words: Words,
}

#[cfg(test)]
mod tests;
