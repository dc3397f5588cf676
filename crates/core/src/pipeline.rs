//! The glue that runs the stages in order; both the command line and the server call it.
