//! Extract: the record the report carries, one activity per reported event.

pub mod gazetteer;
