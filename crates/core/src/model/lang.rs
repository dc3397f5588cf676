//! Language codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// A language, as its two-letter lower-case ISO 639-1 code (`nl`, `fr`, `de`, `en`, ...).
///
/// Any two-letter code is accepted; [`Lang::KNOWN`] lists the languages for which diptych
/// ships language data (abbreviations, month names, glossary).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang([u8; 2]);

impl Lang {
    /// Dutch.
    pub const NL: Lang = Lang(*b"nl");
    /// French.
    pub const FR: Lang = Lang(*b"fr");
    /// German.
    pub const DE: Lang = Lang(*b"de");
    /// English.
    pub const EN: Lang = Lang(*b"en");
    /// The languages diptych ships data for and can identify.
    pub const KNOWN: [Lang; 4] = [Lang::NL, Lang::FR, Lang::DE, Lang::EN];

    /// The code as a string slice, e.g. `"nl"`.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII lower-case letters, checked on construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// Parses a code such as `nl`, `NL`, `nl-BE` or `fr_CA`: the primary subtag is kept.
    pub fn parse(code: &str) -> Result<Lang, Error> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        let bytes = primary.as_bytes();
        if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_alphabetic) {
            Ok(Lang([
                bytes[0].to_ascii_lowercase(),
                bytes[1].to_ascii_lowercase(),
            ]))
        } else {
            Err(Error::BadLanguage(code.to_owned()))
        }
    }

    /// Whether diptych ships language data for this language.
    pub fn is_known(&self) -> bool {
        Lang::KNOWN.contains(self)
    }

    /// The language's English name, for messages.
    pub fn english_name(&self) -> &str {
        match self.as_str() {
            "nl" => "Dutch",
            "fr" => "French",
            "de" => "German",
            "en" => "English",
            other => other,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

impl FromStr for Lang {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s)
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Lang::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// In the OpenAPI description: a string of two lower-case letters (requests may also give
/// `nl-BE` or `NL`; answers always carry the primary subtag in lower case).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Lang {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[a-z]{2}$"))
            .description(Some("A two-letter ISO 639-1 language code, e.g. `nl`"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Lang {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_region_subtags_and_case() {
        assert_eq!(Lang::parse("nl-BE").unwrap(), Lang::NL);
        assert_eq!(Lang::parse("FR_ca").unwrap(), Lang::FR);
        assert!(Lang::parse("dutch").is_err());
        assert!(Lang::parse("").is_err());
        assert!(Lang::parse("n1").is_err());
    }

    #[test]
    fn serialises_as_plain_code_also_as_map_key() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(Lang::FR, 1);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"fr":1}"#);
        let back: std::collections::BTreeMap<Lang, i32> =
            serde_json::from_str(r#"{"nl":2}"#).unwrap();
        assert_eq!(back[&Lang::NL], 2);
    }
}
