//! Reads the encoder's weights: a NumPy `.npz` archive (a zip of `.npy` arrays) holding the
//! 6-bit quantised embedding table in 17 interleaved blocks and the float32 layers.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::{Error, Result};

/// One array of the archive: its shape and its values as float32 (or raw bytes for `u1`).
pub(crate) struct Array {
    pub(crate) shape: Vec<usize>,
    pub(crate) data: Data,
}

/// The values of an [`Array`].
pub(crate) enum Data {
    /// Float arrays (`<f4`, or `<f8` narrowed to float32).
    F32(Vec<f32>),
    /// Unsigned bytes (`|u1`), the quantised embedding blocks.
    U8(Vec<u8>),
}

/// Every array of an `.npz` file, by name (without the `.npy` suffix).
pub(crate) struct Archive {
    arrays: HashMap<String, Array>,
    path: std::path::PathBuf,
}

impl Archive {
    /// Reads and decompresses every array of the archive at `path`.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let bad = |what: String| Error::Invalid(format!("{}: {what}", path.display()));
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
            .map_err(|e| bad(format!("not a NumPy .npz archive ({e})")))?;
        let mut arrays = HashMap::new();
        for k in 0..zip.len() {
            let mut entry = zip.by_index(k).map_err(|e| bad(e.to_string()))?;
            let name = entry.name().map_err(|e| bad(e.to_string()))?;
            let name = name.trim_end_matches(".npy").to_owned();
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| bad(format!("{name}: {e}")))?;
            let array = parse_npy(&bytes).map_err(|e| bad(format!("{name}: {e}")))?;
            arrays.insert(name, array);
        }
        Ok(Archive {
            arrays,
            path: path.to_owned(),
        })
    }

    /// Removes and returns the float array `name`, checking its shape.
    pub(crate) fn floats(&mut self, name: &str, shape: &[usize]) -> Result<Vec<f32>> {
        match self.take(name, shape)?.data {
            Data::F32(v) => Ok(v),
            Data::U8(_) => Err(self.wrong(name, "holds bytes, not floats")),
        }
    }

    /// Removes and returns the byte array `name`, checking its shape.
    pub(crate) fn bytes(&mut self, name: &str, shape: &[usize]) -> Result<Vec<u8>> {
        match self.take(name, shape)?.data {
            Data::U8(v) => Ok(v),
            Data::F32(_) => Err(self.wrong(name, "holds floats, not bytes")),
        }
    }

    fn take(&mut self, name: &str, shape: &[usize]) -> Result<Array> {
        let array = self
            .arrays
            .remove(name)
            .ok_or_else(|| self.wrong(name, "is missing"))?;
        // A scalar may be stored with shape () or (1,).
        let count: usize = array.shape.iter().product();
        let same = array.shape == shape || (shape.is_empty() && count == 1);
        if !same {
            let msg = format!("has shape {:?}, expected {:?}", array.shape, shape);
            return Err(self.wrong(name, &msg));
        }
        Ok(array)
    }

    fn wrong(&self, name: &str, what: &str) -> Error {
        Error::Invalid(format!(
            "{}: array {name} {what} (not the USE-multilingual-v3 weights?)",
            self.path.display()
        ))
    }
}

/// Parses one `.npy` file (format versions 1 to 3, little-endian, C order).
fn parse_npy(bytes: &[u8]) -> std::result::Result<Array, String> {
    let magic = b"\x93NUMPY";
    if bytes.len() < 10 || &bytes[..6] != magic {
        return Err("not a .npy array".into());
    }
    let (header_len, start) = match bytes[6] {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        2 | 3 if bytes.len() >= 12 => {
            let len = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
            (len as usize, 12)
        }
        v => return Err(format!("unsupported .npy version {v}")),
    };
    let header = bytes
        .get(start..start + header_len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or("truncated .npy header")?;
    if header_field(header, "fortran_order").is_some_and(|v| v.starts_with("True")) {
        return Err("Fortran-ordered arrays are not supported".into());
    }
    let descr = header_field(header, "descr").ok_or("no descr in the .npy header")?;
    let descr = descr.trim_start_matches(['\'', '"']);
    let shape = parse_shape(header_field(header, "shape").ok_or("no shape")?)?;
    let count: usize = shape.iter().product();
    let body = &bytes[start + header_len..];
    let data = if descr.starts_with("<f4") {
        Data::F32(values(body, count, 4, |c| {
            f32::from_le_bytes([c[0], c[1], c[2], c[3]])
        })?)
    } else if descr.starts_with("<f8") {
        Data::F32(values(body, count, 8, |c| {
            let b: [u8; 8] = c.try_into().unwrap_or([0; 8]);
            f64::from_le_bytes(b) as f32
        })?)
    } else if descr.starts_with("|u1") || descr.starts_with("|i1") {
        // The int8 `bits` marker is read as bytes too; only its presence matters.
        Data::U8(body.get(..count).ok_or("truncated array")?.to_vec())
    } else {
        return Err(format!("unsupported element type {descr}"));
    };
    Ok(Array { shape, data })
}

/// The text after `'key':` in a .npy header dictionary.
fn header_field<'h>(header: &'h str, key: &str) -> Option<&'h str> {
    let at = header.find(&format!("'{key}'"))?;
    let rest = &header[at + key.len() + 2..];
    Some(rest.trim_start().strip_prefix(':')?.trim_start())
}

/// Parses `(512, 256), ...` into `[512, 256]`.
fn parse_shape(text: &str) -> std::result::Result<Vec<usize>, String> {
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.split(')').next())
        .ok_or("malformed shape")?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!("malformed shape {inner}")))
        .collect()
}

/// `count` values of `width` bytes each, decoded by `decode`.
fn values<T>(
    body: &[u8],
    count: usize,
    width: usize,
    decode: impl Fn(&[u8]) -> T,
) -> std::result::Result<Vec<T>, String> {
    let body = body.get(..count * width).ok_or("truncated array")?;
    Ok(body.chunks_exact(width).map(decode).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(descr: &str, shape: &str, body: &[u8]) -> Vec<u8> {
        let mut header =
            format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(' ');
        }
        header.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn reads_float_and_byte_arrays() {
        let body: Vec<u8> = [1.5f32, -2.0]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let a = parse_npy(&npy("<f4", "(2,)", &body)).unwrap();
        assert_eq!(a.shape, vec![2]);
        assert!(matches!(a.data, Data::F32(ref v) if v == &[1.5, -2.0]));
        let b = parse_npy(&npy("|u1", "(1, 3)", &[7, 8, 9])).unwrap();
        assert_eq!(b.shape, vec![1, 3]);
        let scalar = parse_npy(&npy("<f8", "()", &1e-12f64.to_le_bytes())).unwrap();
        assert!(scalar.shape.is_empty());
        assert!(parse_npy(&npy("<f4", "(3,)", &body)).is_err());
        assert!(parse_npy(b"PK\x03\x04").is_err());
    }
}
