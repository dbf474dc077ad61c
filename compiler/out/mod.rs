//! Temporary writer until the atomic one lands.
use std::collections::BTreeMap;
use std::path::Path;
#[derive(Debug)]
pub struct OutError(pub String);
impl std::fmt::Display for OutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
pub struct WriteReport {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}
pub struct Staleness {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub index_differs: bool,
}
impl Staleness {
    pub fn is_fresh(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && !self.index_differs
    }
}
pub fn write(out_dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<WriteReport, OutError> {
    let mut written = Vec::new();
    for (p, b) in files {
        let path = out_dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| OutError(e.to_string()))?;
        std::fs::write(&path, b).map_err(|e| OutError(e.to_string()))?;
        written.push(p.clone());
    }
    Ok(WriteReport {
        written,
        removed: vec![],
        unchanged: 0,
    })
}
pub fn check(out_dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Staleness, OutError> {
    let mut s = Staleness {
        added: vec![],
        changed: vec![],
        removed: vec![],
        index_differs: false,
    };
    for (p, b) in files {
        match std::fs::read(out_dir.join(p)) {
            Ok(d) if &d == b => {}
            Ok(_) => s.changed.push(p.clone()),
            Err(_) => s.added.push(p.clone()),
        }
    }
    Ok(s)
}
