//! The portal's API as the sender uses it: probe, submission, receipts, status feed, results,
//! catalogue. Upload calls go through [`TusClient`].

use std::time::Duration;

use serde::Deserialize;

use crate::net::{Identity, NetError, agent, classify};
use crate::tus::{Capabilities, TusClient};

/// Where the portal is and how to prove who we are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalConfig {
    /// Base URL, e.g. `http://127.0.0.1:8787` (the API is under `/api/v1`).
    pub url: String,
    pub token: String,
}

/// A receipt as the portal gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub client_id: String,
    pub receipt: String,
    pub state: String,
    pub received_at: i64,
    /// What there is to pay, when the dossier has a fee.
    #[serde(default)]
    pub payment: Option<PaymentRequest>,
}

/// A payment request: amount, beneficiary and purpose; `paid_at` once the bank said so.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
    pub amount: u64,
    pub reference: String,
    pub bank_bin: String,
    pub account: String,
    pub account_name: String,
    pub paid_at: Option<i64>,
}

impl PaymentRequest {
    /// As the store keeps it.
    pub fn to_store(&self) -> hoso_store::Payment {
        hoso_store::Payment {
            amount: i64::try_from(self.amount).unwrap_or(i64::MAX),
            reference: self.reference.clone(),
            bank_bin: self.bank_bin.clone(),
            account: self.account.clone(),
            account_name: self.account_name.clone(),
            paid_at: self.paid_at,
        }
    }
}

/// A change in the status feed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub seq: i64,
    pub client_id: String,
    pub receipt: String,
    pub state: String,
    pub message: String,
    pub at: i64,
    pub results: Vec<ResultDoc>,
    /// The dossier's payment request as it is now, when it has one.
    #[serde(default)]
    pub payment: Option<PaymentRequest>,
}

/// A result document in a change.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultDoc {
    pub id: String,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Deserialize)]
struct ChangesPage {
    changes: Vec<Change>,
    next: i64,
}

/// The portal client.
#[derive(Debug, Clone)]
pub struct Portal {
    config: PortalConfig,
    agent: ureq::Agent,
    pub tus: TusClient,
}

impl Portal {
    pub fn new(config: PortalConfig) -> Self {
        let agent = agent();
        let tus = TusClient::new(agent.clone(), Some(&config.token), Identity::Required);
        Self { config, agent, tus }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.config.url.trim_end_matches('/'))
    }

    pub fn files_endpoint(&self) -> String {
        self.api("/files")
    }

    fn auth<B>(&self, req: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        req.header("Authorization", format!("Bearer {}", self.config.token))
    }

    /// Is the portal there? One cheap request; its tus capabilities come back too.
    pub fn probe(&self) -> Result<Capabilities, NetError> {
        self.tus.capabilities(&self.files_endpoint())
    }

    /// Submits a dossier body; the same body again gets the same receipt.
    pub fn submit(&self, body: &serde_json::Value) -> Result<Receipt, NetError> {
        let req = self
            .auth(self.agent.post(self.api("/dossiers")))
            .header("Content-Type", "application/json")
            .config()
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        let mut r = classify(req.send(body.to_string().as_bytes()), Identity::Required)?;
        read_json(&mut r)
    }

    /// The receipt of a dossier the portal already has, if it has it.
    pub fn receipt(&self, client_id: &str) -> Result<Option<Receipt>, NetError> {
        let req = self
            .auth(self.agent.get(self.api(&format!("/dossiers/{client_id}"))))
            .config()
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        match classify(req.call(), Identity::Required) {
            Ok(mut r) => read_json(&mut r).map(Some),
            Err(NetError::Permanent { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Status changes after `cursor`; returns them and the new cursor.
    pub fn changes(&self, cursor: i64) -> Result<(Vec<Change>, i64), NetError> {
        let req = self
            .auth(self.agent.get(self.api(&format!("/changes?after={cursor}&limit=200"))))
            .config()
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        let mut r = classify(req.call(), Identity::Required)?;
        let page: ChangesPage = read_json(&mut r)?;
        Ok((page.changes, page.next))
    }

    /// Downloads a result document.
    pub fn result(&self, id: &str, expected_size: u64) -> Result<Vec<u8>, NetError> {
        let limit = Duration::from_secs(60 + expected_size / 1000);
        let req = self
            .auth(self.agent.get(self.api(&format!("/results/{id}"))))
            .config()
            .timeout_global(Some(limit))
            .build();
        let mut r = classify(req.call(), Identity::Required)?;
        r.body_mut()
            .with_config()
            .limit(expected_size + 1024)
            .read_to_vec()
            .map_err(|e| NetError::NotConnected(format!("result download broke: {e}")))
    }

    /// The catalogue if it changed since `etag`: `Some((body, etag))`, or `None` when not.
    pub fn catalogue(
        &self,
        etag: Option<&str>,
    ) -> Result<Option<(String, Option<String>)>, NetError> {
        let mut req = self.auth(self.agent.get(self.api("/catalogue")));
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        let req = req.config().timeout_global(Some(Duration::from_secs(120))).build();
        let sent = req.call();
        if let Ok(r) = &sent
            && r.status().as_u16() == 304
            && r.headers().get(crate::net::IDENTITY_HEADER).is_some()
        {
            return Ok(None);
        }
        let mut r = classify(sent, Identity::Required)?;
        let etag = r.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = r
            .body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| NetError::NotConnected(format!("catalogue download broke: {e}")))?;
        Ok(Some((body, etag)))
    }
}

fn read_json<T: serde::de::DeserializeOwned>(
    r: &mut ureq::http::Response<ureq::Body>,
) -> Result<T, NetError> {
    let text = r
        .body_mut()
        .read_to_string()
        .map_err(|e| NetError::NotConnected(format!("answer broke: {e}")))?;
    serde_json::from_str(&text)
        .map_err(|e| NetError::NotConnected(format!("answer is not what the portal sends: {e}")))
}
