//! Syrian place names: the curated overlay and GeoNames extracts, normalised
//! for French, English and Arabic-transliterated spellings, scanned out of
//! running text and disambiguated.
//!
//! ```
//! let g = gazetteer::Gazetteer::builtin().unwrap();
//! let best = &g.lookup("Khan Tuman")[0];
//! assert_eq!(g.place(best.place).name_fr, "Khan Toumane");
//! ```
//!
//! The gazetteer knows places only: nothing here knows about events.

pub mod error;
pub mod import;
mod index;
pub mod lexicon;
pub mod normalize;
pub mod place;
mod scan;
pub mod table;
pub mod tsv;

pub use error::{Error, Result};
pub use index::{Candidate, Gazetteer, PlaceId, Stats};
pub use place::{distance_km, offset_point, Kind, Place, Source};
pub use scan::{Mention, Precision, Relative, Resolved};
