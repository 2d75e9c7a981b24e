//! Photos from a phone into one paper of an open dossier, through the phone bridge
//! (`hoso-bridge`): at most one bridge at a time, open while the desktop's dialog is. The
//! bridge may instead take photos of the citizen ID card for "Quét CCCD": each is read at once
//! (the phone is told when no card code is in it, so the person retakes it there and then) and
//! the last card read is in the status; the photo itself is not kept. A guided session's bridge
//! stays open across the steps and takes either, as the desktop aims it: card photos on the
//! step about the applicant, then each photo into the paper aimed at — by default the first
//! required paper still without a page.

use std::net::IpAddr;
use std::sync::{Arc, Weak};

use std::sync::Mutex;

use crate::types::{BridgePhone, BridgeStatus, CardProposal, Dossier, LanAddress};
use crate::{ApiError, ErrorCode, Hoso, Result, media_type_of};

/// Environment variable naming the address the bridge listens on by default (tests use
/// 127.0.0.1; a person picks among the computer's network addresses).
pub const BRIDGE_ADDRESS_ENV: &str = "HOSO_BRIDGE_ADDRESS";

/// The last card read through the bridge, and how many were read.
type CardSlot = Arc<Mutex<(u32, Option<CardProposal>)>>;

/// The bridge the dialog opened, and what it is for.
pub(crate) struct OpenBridge {
    bridge: hoso_bridge::Bridge,
    dossier: String,
    /// Where photos go now.
    aim: Arc<Mutex<Aim>>,
    /// The desktop may change the aim (a guided session).
    guided: bool,
    card: CardSlot,
    qr_svg: String,
}

/// Where the bridge's photos go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Aim {
    Paper(String),
    Card,
    /// The first required paper without a page (then the first without one, then the last).
    NextMissing,
}

impl Aim {
    fn parse(s: &str) -> Self {
        match s {
            "card" => Self::Card,
            "" | "auto" => Self::NextMissing,
            code => Self::Paper(code.to_owned()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Self::Card => "card",
            Self::NextMissing => "auto",
            Self::Paper(code) => code,
        }
    }
}

impl std::fmt::Debug for OpenBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenBridge").field("bridge", &self.bridge).finish_non_exhaustive()
    }
}

/// The addresses a phone may reach this computer at, the likeliest first.
fn addresses() -> Vec<LanAddress> {
    let mut v: Vec<LanAddress> = hoso_bridge::lan_addresses()
        .into_iter()
        .map(|a| LanAddress { ip: a.ip.to_string(), interface: a.interface })
        .collect();
    if let Some(ip) = std::env::var(BRIDGE_ADDRESS_ENV).ok().filter(|s| !s.is_empty()) {
        v.retain(|a| a.ip != ip);
        v.insert(0, LanAddress { ip, interface: BRIDGE_ADDRESS_ENV.to_owned() });
    }
    v
}

/// What the phone is told when the dossier does not take its photo.
fn for_the_phone(e: &ApiError) -> hoso_bridge::Refused {
    hoso_bridge::Refused(match e.code {
        ErrorCode::NotEditable => {
            "Hồ sơ này đã chốt để gửi nên không thêm ảnh được. Trên máy tính, bấm \"Sửa lại\" nếu cần thêm.".into()
        }
        ErrorCode::NotFound => "Hồ sơ này không còn trên máy tính (đã xoá?).".into(),
        ErrorCode::DiskFull => "Ổ đĩa máy tính đã đầy. Hãy giải phóng dung lượng rồi gửi lại.".into(),
        ErrorCode::InvalidInput => "Ảnh quá lớn để thêm vào hồ sơ.".into(),
        _ => format!("Máy tính không thêm được ảnh vào hồ sơ ({}). Hãy gửi lại.", e.code.as_str()),
    })
}

impl Hoso {
    /// The computer's network addresses a phone may reach it at.
    pub fn bridge_addresses(&self) -> Vec<LanAddress> {
        addresses()
    }

    /// Opens the phone bridge for one paper (`component`) of dossier `id`, on `address` (one of
    /// [`Hoso::bridge_addresses`]; the first when `None`). A bridge already open is closed
    /// first, so its QR code stops working.
    pub fn bridge_open(
        self: &Arc<Self>,
        id: &str,
        component: &str,
        address: Option<&str>,
    ) -> Result<BridgeStatus> {
        self.open_bridge(id, Aim::Paper(component.to_owned()), false, address)
    }

    /// Opens the phone bridge for "Quét CCCD" on dossier `id`: each photo is read as a card
    /// and proposed for the applicant's fields ([`BridgeStatus::card`]); none is kept.
    pub fn bridge_open_card(
        self: &Arc<Self>,
        id: &str,
        address: Option<&str>,
    ) -> Result<BridgeStatus> {
        self.open_bridge(id, Aim::Card, false, address)
    }

    /// Opens the phone bridge for a guided session on dossier `id`: it stays open across the
    /// steps, and [`Hoso::bridge_aim`] says where each photo goes (`card`, `auto` or a paper's
    /// code), starting with `aim`.
    pub fn bridge_open_guided(
        self: &Arc<Self>,
        id: &str,
        aim: &str,
        address: Option<&str>,
    ) -> Result<BridgeStatus> {
        self.open_bridge(id, Aim::parse(aim), true, address)
    }

    /// Where the open guided bridge's next photos go: `card`, `auto` (the first required paper
    /// still without a page) or a paper's code.
    pub fn bridge_aim(&self, id: &str, aim: &str) -> Result<BridgeStatus> {
        let aim = Aim::parse(aim);
        check_aim(&self.dossier(id)?, &aim)?;
        {
            let slot = self.bridge_slot();
            let open = slot.as_ref().filter(|o| o.guided && o.dossier == id).ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "no guided bridge is open for this dossier")
            })?;
            *open.aim.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = aim;
        }
        self.bridge_status().ok_or_else(|| ApiError::new(ErrorCode::NotFound, "bridge closed"))
    }

    /// The paper a photo aimed `aim` goes to in dossier `id`; `None` for a card photo.
    fn paper_for(&self, id: &str, aim: &Aim) -> Result<Option<String>> {
        Ok(match aim {
            Aim::Card => None,
            Aim::Paper(code) => Some(code.clone()),
            Aim::NextMissing => {
                // Straight from the store and the catalogue: the status asks twice a second.
                let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
                let Some(procedure) = self.catalogue.procedure(&record.row.procedure_code) else {
                    return Ok(None);
                };
                let pages =
                    |code: &str| record.pages.iter().filter(|p| p.component_code == code).count();
                let specs = &procedure.components;
                specs
                    .iter()
                    .find(|c| c.required && pages(&c.code) == 0)
                    .or_else(|| specs.iter().find(|c| pages(&c.code) == 0))
                    .or(specs.last())
                    .map(|c| c.code.clone())
            }
        })
    }

    fn open_bridge(
        self: &Arc<Self>,
        id: &str,
        aim: Aim,
        guided: bool,
        address: Option<&str>,
    ) -> Result<BridgeStatus> {
        // Refuse up front what the dossier would refuse for every photo.
        let dossier = self.dossier(id)?;
        check_aim(&dossier, &aim)?;
        if dossier.state != crate::types::DossierState::Draft {
            return Err(ApiError::new(ErrorCode::NotEditable, "the dossier is not a draft"));
        }
        let known = addresses();
        let ip: IpAddr = match address {
            None => known.first().map(|a| a.ip.as_str()).unwrap_or("127.0.0.1"),
            // Loopback is always allowed: it exposes nothing beyond this computer.
            Some(a) if known.iter().any(|k| k.ip == a) || a == "127.0.0.1" => a,
            Some(a) => {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("{a} is not an address of this computer"),
                ));
            }
        }
        .parse()
        .map_err(|_| ApiError::new(ErrorCode::InvalidInput, "not an IP address"))?;
        self.bridge_close();
        let weak: Weak<Hoso> = Arc::downgrade(self);
        let dossier_id = id.to_owned();
        let card: CardSlot = Arc::default();
        let aim = Arc::new(Mutex::new(aim));
        let sink: hoso_bridge::Sink = {
            let slot = Arc::clone(&card);
            let aim = Arc::clone(&aim);
            Arc::new(move |a: hoso_bridge::Arrival| {
                let Some(h) = weak.upgrade() else {
                    return Err(hoso_bridge::Refused("HoSo trên máy tính đã đóng.".into()));
                };
                let now = aim.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
                match h.paper_for(&dossier_id, &now).map_err(|e| for_the_phone(&e))? {
                    Some(code) => h
                        .add_page(&dossier_id, &code, &a.bytes, media_type_of(&a.bytes), &a.name)
                        .map(|_| ())
                        .map_err(|e| for_the_phone(&e)),
                    None => {
                        // A photo with no card in it is refused with the reader's own advice,
                        // so the person retakes it on the phone.
                        let proposal = h
                            .read_card(&dossier_id, &a.bytes)
                            .map_err(|e| hoso_bridge::Refused(e.message))?;
                        let mut s = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        *s = (s.0 + 1, Some(proposal));
                        Ok(())
                    }
                }
            })
        };
        let config = hoso_bridge::Config { bind: ip, ..hoso_bridge::Config::default() };
        let bridge = hoso_bridge::Bridge::start(config, sink).map_err(|e| {
            ApiError::new(ErrorCode::Internal, format!("cannot listen on {ip}: {e}"))
        })?;
        let qr_svg = qr_svg(&bridge.url())?;
        *self.bridge_slot() =
            Some(OpenBridge { bridge, dossier: id.to_owned(), aim, guided, card, qr_svg });
        self.bridge_status().ok_or_else(|| ApiError::new(ErrorCode::Internal, "bridge vanished"))
    }

    /// The open bridge: its QR code, time left, phones and photos received; `None` when closed.
    pub fn bridge_status(&self) -> Option<BridgeStatus> {
        let slot = self.bridge_slot();
        let open = slot.as_ref()?;
        let b = &open.bridge;
        let (cards_read, card) =
            open.card.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let aim = open.aim.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        // The paper the next photo goes to (the store is not locked by the slot's mutex).
        let component = self.paper_for(&open.dossier, &aim).ok().flatten().unwrap_or_default();
        Some(BridgeStatus {
            cards_read,
            card,
            url: b.url(),
            qr_svg: open.qr_svg.clone(),
            dossier_id: open.dossier.clone(),
            component,
            aim: aim.as_str().to_owned(),
            guided: open.guided,
            address: b.addr().ip().to_string(),
            only_this_computer: b.addr().ip().is_loopback(),
            expires_in_s: b.expires_in().as_secs(),
            received: b.received(),
            phones: b
                .phones()
                .into_iter()
                .map(|p| BridgePhone {
                    id: p.id,
                    label: p.label,
                    address: p.address,
                    files: p.files,
                    bytes: p.bytes,
                    uploading: p.uploading,
                    idle_s: p.idle_s,
                    cut_off: p.cut_off,
                })
                .collect(),
        })
    }

    /// Refuses everything more from one phone.
    pub fn bridge_cut_off(&self, phone: u32) -> Result<BridgeStatus> {
        let found = self.bridge_slot().as_ref().is_some_and(|o| o.bridge.cut_off(phone));
        if !found {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no phone {phone}")));
        }
        self.bridge_status().ok_or_else(|| ApiError::new(ErrorCode::NotFound, "bridge closed"))
    }

    /// Stops the bridge (its port closes and its QR code stops working). Harmless when closed.
    pub fn bridge_close(&self) {
        let open = self.bridge_slot().take();
        // Stopped outside the lock: a photo being added may need the façade meanwhile.
        if let Some(o) = open {
            o.bridge.stop();
        }
    }

    fn bridge_slot(&self) -> std::sync::MutexGuard<'_, Option<OpenBridge>> {
        self.bridge.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Refuses an aim at a paper the dossier does not have.
fn check_aim(dossier: &Dossier, aim: &Aim) -> Result<()> {
    if let Aim::Paper(component) = aim
        && !dossier.components.iter().any(|c| &c.code == component)
    {
        return Err(ApiError::new(
            ErrorCode::UnknownComponent,
            format!("the dossier has no component {component}"),
        ));
    }
    Ok(())
}

/// The URL as a QR code (SVG, black on white, with its quiet zone), sized by the page.
fn qr_svg(url: &str) -> Result<String> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}
