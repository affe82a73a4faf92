//! Uploaded images: decoded, re-encoded as JPEG in the widths the app shows, and stored as
//! files. Re-encoding keeps only pixels, so every piece of metadata (EXIF with GPS, XMP,
//! PNG text chunks, ICC comments) is gone.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use hromada_api::news::{Image, ImageSize};
use hromada_api::{ErrorCode, FieldError};
use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbImage};

use crate::db::Db;
use crate::domain::accounts::Account;
use crate::domain::{clock, ids, news};
use crate::error::{ApiError, ApiResult};

/// The widths made of every image (never wider than the original).
pub const WIDTHS: [u32; 2] = [480, 1024];
/// JPEG quality of the files made.
pub const QUALITY: u8 = 80;
/// Largest width or height of an image accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;

/// The media types accepted for upload.
pub const ACCEPTED: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// The URL of one size of an image.
pub fn url(id: &str, width: u32) -> String {
    format!("{}/media/{id}/{width}.jpg", hromada_api::API_PREFIX)
}

/// The file of one size of an image.
pub fn file(dir: &Path, id: &str, width: u32) -> PathBuf {
    dir.join(format!("{id}_{width}.jpg"))
}

/// An [`Image`] from stored sizes (`480x270;1024x576`).
pub fn image(id: &str, sizes: &str) -> Image {
    Image {
        id: id.to_owned(),
        sizes: sizes
            .split(';')
            .filter_map(|s| {
                let (w, h) = s.split_once('x')?;
                let (width, height) = (w.parse().ok()?, h.parse().ok()?);
                Some(ImageSize {
                    url: url(id, width),
                    width,
                    height,
                })
            })
            .collect(),
    }
}

fn not_an_image() -> ApiError {
    ApiError::Validation(vec![FieldError::new("file", ErrorCode::NotAnImage)])
}

/// The error for an upload over [`hromada_api::news::IMAGE_MAX_BYTES`].
pub fn too_large() -> ApiError {
    ApiError::TooLarge(vec![FieldError::new("file", ErrorCode::TooLarge)])
}

/// Whether `content_type` is one of [`ACCEPTED`]; else 415.
pub fn check_content_type(content_type: Option<&str>) -> ApiResult<ImageFormat> {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match mime.as_str() {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Ok(ImageFormat::Jpeg),
        "image/png" => Ok(ImageFormat::Png),
        "image/webp" => Ok(ImageFormat::WebP),
        // 415, naming the field, so that the form can say it beside the file input.
        _ => Err(ApiError::UnsupportedMedia(vec![FieldError::new(
            "file",
            ErrorCode::NotAnImage,
        )])),
    }
}

/// Decodes an upload; any format of the three is accepted whatever the declared one.
pub fn decode(bytes: &[u8]) -> ApiResult<DynamicImage> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_an_image())?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(not_an_image());
    }
    let mut reader = reader;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map_err(|_| not_an_image())
}

/// What an upload is by its first bytes (never by its name or declared type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Jpeg,
    Png,
    WebP,
    Pdf,
}

/// Recognises JPEG, PNG, WebP and PDF by their magic bytes.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(Sniffed::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Sniffed::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Sniffed::WebP)
    } else if bytes.starts_with(b"%PDF-") {
        Some(Sniffed::Pdf)
    } else {
        None
    }
}

/// Decodes a JPEG, PNG or WebP image and turns it upright as its EXIF orientation says
/// (a phone's portrait photo is stored sideways with a flag); `None` if it cannot be
/// decoded within the limits.
pub fn decode_upright(bytes: &[u8]) -> Option<DynamicImage> {
    use image::ImageDecoder;
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return None;
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    if decoder.total_bytes() > 512 * 1024 * 1024 {
        return None;
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).ok()?;
    img.apply_orientation(orientation);
    Some(img)
}

/// A JPEG of `img` whose longest side is at most `max_side` (never upscaled):
/// `(width, height, bytes)`. Only pixels are written: no metadata of the original.
pub fn encode_fit(img: &DynamicImage, max_side: u32) -> ApiResult<(u32, u32, Vec<u8>)> {
    let (w0, h0) = (img.width(), img.height());
    if w0 == 0 || h0 == 0 {
        return Err(not_an_image());
    }
    let scale = |a: u32, b: u32| -> u32 {
        ((u64::from(a) * u64::from(max_side) + u64::from(b) / 2) / u64::from(b)).max(1) as u32
    };
    let (w, h) = if w0.max(h0) <= max_side {
        (w0, h0)
    } else if w0 >= h0 {
        (max_side, scale(h0, w0))
    } else {
        (scale(w0, h0), max_side)
    };
    let rgb = if (w, h) == (w0, h0) {
        to_rgb(img)
    } else {
        to_rgb(&img.resize_exact(w, h, image::imageops::FilterType::Triangle))
    };
    let mut buf = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, QUALITY)
        .encode_image(&rgb)
        .map_err(|e| ApiError::Internal(format!("jpeg: {e}")))?;
    Ok((w, h, buf))
}

/// Flattens transparency onto white: JPEG has no alpha.
fn to_rgb(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        for c in 0..3 {
            o[c] = ((u16::from(p[c]) * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    out
}

/// The JPEG files of an image: `(width, height, bytes)`, smallest first.
pub fn encode_sizes(img: &DynamicImage) -> ApiResult<Vec<(u32, u32, Vec<u8>)>> {
    let rgb = to_rgb(img);
    let (w0, h0) = rgb.dimensions();
    if w0 == 0 || h0 == 0 {
        return Err(not_an_image());
    }
    let mut widths: Vec<u32> = WIDTHS.iter().map(|w| (*w).min(w0)).collect();
    widths.dedup();
    let mut out = Vec::new();
    for w in widths {
        let h = ((u64::from(h0) * u64::from(w) + u64::from(w0) / 2) / u64::from(w0)).max(1) as u32;
        let scaled = if w == w0 {
            rgb.clone()
        } else {
            image::imageops::resize(&rgb, w, h, image::imageops::FilterType::Triangle)
        };
        let mut buf = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, QUALITY)
            .encode_image(&scaled)
            .map_err(|e| ApiError::Internal(format!("jpeg: {e}")))?;
        out.push((w, h, buf));
    }
    Ok(out)
}

/// Stores an already decoded image for a hromada; returns it with its sizes.
pub async fn store(
    db: &Db,
    dir: &Path,
    katottg: &str,
    created_by: Option<&str>,
    img: DynamicImage,
) -> ApiResult<Image> {
    let files = tokio::task::spawn_blocking(move || encode_sizes(&img))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    store_encoded(db, dir, katottg, created_by, &files).await
}

/// Stores the files made by [`encode_sizes`] for a hromada.
pub async fn store_encoded(
    db: &Db,
    dir: &Path,
    katottg: &str,
    created_by: Option<&str>,
    files: &[(u32, u32, Vec<u8>)],
) -> ApiResult<Image> {
    let id = ids::new_id();
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| ApiError::Internal(format!("media dir {}: {e}", dir.display())))?;
    let mut sizes = Vec::new();
    for (w, h, bytes) in files {
        let path = file(dir, &id, *w);
        let tmp = path.with_extension("tmp");
        tokio::fs::write(&tmp, bytes)
            .await
            .map_err(|e| ApiError::Internal(format!("{}: {e}", tmp.display())))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| ApiError::Internal(format!("{}: {e}", path.display())))?;
        sizes.push(format!("{w}x{h}"));
    }
    let sizes = sizes.join(";");
    db.insert_media(&id, katottg, &sizes, created_by, &clock::now_rfc3339())
        .await?;
    Ok(image(&id, &sizes))
}

/// `POST /hromadas/{katottg}/media`: staff upload an image.
pub async fn upload(
    db: &Db,
    dir: &Path,
    actor: &Account,
    katottg: &str,
    bytes: Vec<u8>,
) -> ApiResult<Image> {
    news::require_staff(db, actor, katottg).await?;
    if bytes.len() > hromada_api::news::IMAGE_MAX_BYTES {
        return Err(too_large());
    }
    let img = tokio::task::spawn_blocking(move || decode(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    store(db, dir, katottg, Some(&actor.user.id), img).await
}

/// The bytes of one stored size; 404 if there is none.
pub async fn read(dir: &Path, id: &str, file_name: &str) -> ApiResult<Vec<u8>> {
    let width: u32 = file_name
        .strip_suffix(".jpg")
        .filter(|w| !w.is_empty() && w.len() <= 5 && w.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|w| w.parse().ok())
        .ok_or(ApiError::NotFound)?;
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    tokio::fs::read(file(dir, id, width))
        .await
        .map_err(|_| ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_never_upscale_and_keep_aspect() {
        let big = DynamicImage::ImageRgb8(RgbImage::new(2000, 1000));
        let s = encode_sizes(&big).unwrap();
        assert_eq!(
            s.iter().map(|(w, h, _)| (*w, *h)).collect::<Vec<_>>(),
            vec![(480, 240), (1024, 512)]
        );
        let small = DynamicImage::ImageRgba8(image::RgbaImage::new(300, 200));
        let s = encode_sizes(&small).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].0, s[0].1), (300, 200));
        assert!(decode(&s[0].2).is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_image() {
        assert!(decode(b"hello, this is text").is_err());
        assert!(decode(b"\x89PNG\r\n\x1a\n broken").is_err());
        assert!(decode(b"GIF89a....").is_err());
        assert!(check_content_type(Some("text/plain")).is_err());
        assert!(check_content_type(None).is_err());
        assert!(check_content_type(Some("image/PNG; x=y")).is_ok());
    }

    #[test]
    fn sniffs_by_content_and_fits_sizes() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some(Sniffed::Pdf));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Sniffed::WebP));
        assert_eq!(sniff(b"GIF89a"), None);
        let tall = DynamicImage::ImageRgb8(RgbImage::new(1000, 4000));
        let (w, h, bytes) = encode_fit(&tall, 1600).unwrap();
        assert_eq!((w, h), (400, 1600));
        assert_eq!(sniff(&bytes), Some(Sniffed::Jpeg));
        let (w, h, _) = encode_fit(&tall, 320).unwrap();
        assert_eq!((w, h), (80, 320));
        let small = DynamicImage::ImageRgba8(image::RgbaImage::new(200, 100));
        let (w, h, bytes) = encode_fit(&small, 320).unwrap();
        assert_eq!((w, h), (200, 100));
        let back = decode_upright(&bytes).unwrap();
        assert_eq!((back.width(), back.height()), (200, 100));
        assert!(decode_upright(b"%PDF-1.4").is_none());
    }

    #[test]
    fn stored_sizes_round_trip() {
        let i = image("ab", "480x270;1024x576");
        assert_eq!(i.sizes.len(), 2);
        assert_eq!(i.sizes[1].url, "/api/v1/media/ab/1024.jpg");
        assert_eq!(i.sizes[0].height, 270);
    }
}
