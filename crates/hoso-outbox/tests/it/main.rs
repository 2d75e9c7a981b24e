//! Sending against the real portal, in its own process on 127.0.0.1, through a simulated weak
//! link. The portal process (and, for the crash test, a sender process) is this same test
//! binary started again in a "child" mode, so it always runs the code under test.

mod flows;
mod support;
mod tus_peer;
