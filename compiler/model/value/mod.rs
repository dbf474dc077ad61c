//! Typed values of the site language. Each type parses from the text a user wrote and returns a
//! short reason on failure; the decoder adds the span and picks the diagnostic.

mod duration;
mod image;
mod name;
mod network;
mod percent;
mod quantity;
mod version;

pub use duration::Duration;
pub use image::ImageRef;
pub use name::{is_label_key, is_label_value, Host, HttpPath, Name};
pub use network::{Cidr, IpAddress};
pub use percent::Percent;
pub use quantity::Quantity;
pub use version::Version;
