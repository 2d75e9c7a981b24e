//! Writes the made-up ID card of the mother named on HoSo's sample birth certificate
//! (`hoso_pdf::sample::example_birth_certificate`), photographed as a phone would:
//! `cargo run -p hoso-cccd --features synth --example mother_card -- OUT.jpg`. No real person.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("usage: mother_card OUT.jpg")?;
    // Born 15/03/1998 in Hà Giang (002), a woman of the 20th century (1): 002 1 98 001234.
    let text = "002198001234||Lò Thị Mai|15031998|Nữ|Thôn Lũng Cú, xã Lũng Cú, huyện Đồng Văn, tỉnh Hà Giang|02052022";
    let photo = hoso_cccd::synth::card_photo_sized(
        text,
        11,
        hoso_cccd::synth::Difficulty::Realistic,
        2000,
        1500,
    );
    std::fs::write(out, photo)?;
    Ok(())
}
