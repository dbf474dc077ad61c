//! Temporary: serde_yaml until the streaming writer lands.
#[derive(Debug)]
pub struct Error(String);
impl std::fmt::Display for Error { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(&self.0) } }
pub fn write<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    let s = serde_yaml::to_string(value).map_err(|e| Error(e.to_string()))?;
    out.extend_from_slice(s.as_bytes());
    Ok(())
}
