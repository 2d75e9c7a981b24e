//! Writes HoSo's made-up birth certificate (`sample::example_birth_certificate`) as a PDF:
//! `cargo run -p hoso-pdf --features synth --example sample_birth_certificate -- OUT.pdf`.
//! `scripts/make-sample-certificate.sh` turns it into the test fixtures' phone photo.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("usage: sample_birth_certificate OUT.pdf")?;
    let c = hoso_pdf::sample::example_birth_certificate();
    std::fs::write(out, hoso_pdf::sample::birth_certificate(&c)?)?;
    Ok(())
}
