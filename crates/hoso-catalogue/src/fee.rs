//! Fees as catalogue data, computed offline from the form's values and today's date, with the
//! breakdown in Vietnamese. Amounts are whole đồng, written `7.000đ`.
//!
//! Rules (`fee_rule` of a procedure in `catalogue.json`):
//! - `free` — no fee ("Miễn lệ phí").
//! - `fixed` — one amount per dossier.
//! - `per_page` — per copy: a price per page by tiers (pages 1–2 at one price, from page 3 at
//!   another), capped per copy, times the number of copies; pages and copies come from fields.
//! - `on_time` — free when the dossier is made within `days` of a date field (a birth, a
//!   death); otherwise the `late` rule.
//! - `province` — set by the province: no figure, the person is told so. A procedure without
//!   a rule is treated the same way.

use serde::Deserialize;

use crate::{CivilDate, Values};

/// One band of a per-page price: from page `from` on (until the next tier), `amount` per page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub from: u32,
    pub amount: u64,
}

/// How a procedure's fee is worked out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FeeRule {
    Free,
    Fixed {
        amount: u64,
        /// What is paid for ("Lệ phí chứng thực chữ ký").
        label: String,
    },
    PerPage {
        pages_field: String,
        copies_field: String,
        tiers: Vec<Tier>,
        cap_per_copy: Option<u64>,
    },
    OnTime {
        date_field: String,
        days: u32,
        /// What the event is, for the breakdown ("khai sinh").
        event: String,
        late: Box<FeeRule>,
    },
    Province,
}

/// What the quote amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeKind {
    /// A figure, possibly 0 đồng after an exemption.
    Amount,
    /// Nothing to pay.
    Free,
    /// The province sets it: no figure here.
    Province,
    /// The fee depends on fields not filled in yet (pages, copies, a date).
    Incomplete,
}

/// One line of the breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeLine {
    pub label: String,
    /// Đồng; negative for a reduction (the cap).
    pub amount: i64,
}

/// A fee worked out for a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeQuote {
    pub kind: FeeKind,
    /// Đồng (0 unless `kind` is `Amount`).
    pub total: u64,
    pub lines: Vec<FeeLine>,
    /// A sentence for the person: why it is free, or where the figure comes from.
    pub note: String,
}

/// `7000` → `7.000đ`.
pub fn vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    if amount < 0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out.push('đ');
    out
}

fn number(values: &Values, key: &str) -> Option<u64> {
    values.get(key)?.trim().parse().ok().filter(|n| *n > 0)
}

fn incomplete(note: String) -> FeeQuote {
    FeeQuote { kind: FeeKind::Incomplete, total: 0, lines: Vec::new(), note }
}

fn province() -> FeeQuote {
    FeeQuote {
        kind: FeeKind::Province,
        total: 0,
        lines: Vec::new(),
        note:
            "Mức phí, lệ phí do Hội đồng nhân dân tỉnh quy định; cán bộ tiếp nhận sẽ báo số tiền."
                .into(),
    }
}

impl FeeRule {
    /// The fee for a dossier with these values, made on `today`.
    pub fn quote(&self, values: &Values, today: CivilDate) -> FeeQuote {
        match self {
            Self::Free => FeeQuote {
                kind: FeeKind::Free,
                total: 0,
                lines: Vec::new(),
                note: "Thủ tục này được miễn lệ phí.".into(),
            },
            Self::Province => province(),
            Self::Fixed { amount, label } => FeeQuote {
                kind: FeeKind::Amount,
                total: *amount,
                lines: vec![FeeLine { label: label.clone(), amount: *amount as i64 }],
                note: String::new(),
            },
            Self::PerPage { pages_field, copies_field, tiers, cap_per_copy } => {
                let (Some(pages), Some(copies)) =
                    (number(values, pages_field), number(values, copies_field))
                else {
                    return incomplete("Ghi số trang và số bản sao để tính lệ phí.".into());
                };
                per_page(pages, copies, tiers, *cap_per_copy)
            }
            Self::OnTime { date_field, days, event, late } => {
                let Some(date) = values.get(date_field).and_then(|v| CivilDate::parse_vn(v).ok())
                else {
                    return incomplete("Ghi ngày để biết có được miễn lệ phí không.".into());
                };
                let elapsed = today.days_since_epoch() - date.days_since_epoch();
                if (0..=i64::from(*days)).contains(&elapsed) {
                    FeeQuote {
                        kind: FeeKind::Free,
                        total: 0,
                        lines: Vec::new(),
                        note: format!(
                            "Miễn lệ phí: đăng ký {event} đúng hạn (trong {days} ngày, đã qua {elapsed} ngày)."
                        ),
                    }
                } else {
                    let mut q = late.quote(values, today);
                    let why = format!("Đăng ký {event} quá hạn {days} ngày nên phải nộp lệ phí.");
                    q.note = if q.note.is_empty() { why } else { format!("{why} {}", q.note) };
                    q
                }
            }
        }
    }
}

/// Per copy: pages priced by tier, capped; times the copies.
fn per_page(pages: u64, copies: u64, tiers: &[Tier], cap: Option<u64>) -> FeeQuote {
    let mut lines = Vec::new();
    let mut per_copy: u64 = 0;
    for (i, t) in tiers.iter().enumerate() {
        let from = u64::from(t.from.max(1));
        let until = tiers.get(i + 1).map_or(pages, |next| pages.min(u64::from(next.from) - 1));
        if until < from {
            continue;
        }
        let n = until - from + 1;
        let range = match tiers.get(i + 1) {
            Some(next) => format!("Trang {from}–{}", next.from - 1),
            None => format!("Từ trang {from}"),
        };
        let amount = n * t.amount;
        per_copy += amount;
        lines.push(FeeLine {
            label: format!("{range}: {n} trang × {}", vnd(t.amount as i64)),
            amount: amount as i64,
        });
    }
    if let Some(cap) = cap.filter(|c| per_copy > *c) {
        lines.push(FeeLine {
            label: format!("Tối đa {}/bản", vnd(cap as i64)),
            amount: cap as i64 - per_copy as i64,
        });
        per_copy = cap;
    }
    if copies > 1 {
        lines.push(FeeLine {
            label: format!("Thêm {} bản × {}", copies - 1, vnd(per_copy as i64)),
            amount: ((copies - 1) * per_copy) as i64,
        });
    }
    FeeQuote {
        kind: FeeKind::Amount,
        total: per_copy * copies,
        lines,
        note: format!("{} trang, {copies} bản.", pages),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copies_rule() -> FeeRule {
        FeeRule::PerPage {
            pages_field: "document.pages".into(),
            copies_field: "document.copies".into(),
            tiers: vec![Tier { from: 1, amount: 2000 }, Tier { from: 3, amount: 1000 }],
            cap_per_copy: Some(200_000),
        }
    }

    fn values(pairs: &[(&str, &str)]) -> Values {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    const TODAY: CivilDate = CivilDate { year: 2026, month: 11, day: 22 };

    #[test]
    fn certified_copies_by_page_tier_with_the_cap_times_the_copies() {
        // (pages, copies) → total, as Thông tư 226/2016/TT-BTC sets it.
        let table = [
            (1, 1, 2_000),
            (2, 1, 4_000),
            (3, 1, 5_000),
            (10, 1, 12_000),
            (198, 1, 200_000),
            (199, 1, 200_000),
            (250, 1, 200_000),
            (3, 3, 15_000),
            (250, 2, 400_000),
            (1, 50, 100_000),
        ];
        for (pages, copies, total) in table {
            let v = values(&[
                ("document.pages", &pages.to_string()),
                ("document.copies", &copies.to_string()),
            ]);
            let q = copies_rule().quote(&v, TODAY);
            assert_eq!(
                (q.kind, q.total),
                (FeeKind::Amount, total),
                "{pages} pages, {copies} copies"
            );
            assert_eq!(q.lines.iter().map(|l| l.amount).sum::<i64>(), total as i64, "{q:?}");
        }
        let q = copies_rule()
            .quote(&values(&[("document.pages", "250"), ("document.copies", "2")]), TODAY);
        let labels: Vec<&str> = q.lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Trang 1–2: 2 trang × 2.000đ",
                "Từ trang 3: 248 trang × 1.000đ",
                "Tối đa 200.000đ/bản",
                "Thêm 1 bản × 200.000đ"
            ]
        );
        assert_eq!(q.lines[2].amount, -52_000);
    }

    #[test]
    fn a_missing_page_count_asks_for_it() {
        let q = copies_rule().quote(&values(&[("document.copies", "2")]), TODAY);
        assert_eq!(q.kind, FeeKind::Incomplete);
        assert!(q.note.contains("số trang"));
        let q = copies_rule()
            .quote(&values(&[("document.pages", "0"), ("document.copies", "2")]), TODAY);
        assert_eq!(q.kind, FeeKind::Incomplete);
    }

    #[test]
    fn registering_a_birth_on_time_is_free_and_late_the_province_sets_it() {
        let rule = FeeRule::OnTime {
            date_field: "child.dob".into(),
            days: 60,
            event: "khai sinh".into(),
            late: Box::new(FeeRule::Province),
        };
        let on_time = rule.quote(&values(&[("child.dob", "01/10/2026")]), TODAY);
        assert_eq!((on_time.kind, on_time.total), (FeeKind::Free, 0));
        assert!(on_time.note.contains("đúng hạn"), "{}", on_time.note);
        let last_day = rule.quote(&values(&[("child.dob", "23/09/2026")]), TODAY);
        assert_eq!(last_day.kind, FeeKind::Free, "day 60 is still on time");
        let late = rule.quote(&values(&[("child.dob", "22/09/2026")]), TODAY);
        assert_eq!(late.kind, FeeKind::Province);
        assert!(late.note.starts_with("Đăng ký khai sinh quá hạn 60 ngày"), "{}", late.note);
        assert_eq!(rule.quote(&values(&[]), TODAY).kind, FeeKind::Incomplete);
        let fixed_late = FeeRule::OnTime {
            date_field: "d".into(),
            days: 15,
            event: "khai tử".into(),
            late: Box::new(FeeRule::Fixed { amount: 7000, label: "Lệ phí".into() }),
        };
        let q = fixed_late.quote(&values(&[("d", "01/01/2026")]), TODAY);
        assert_eq!((q.kind, q.total), (FeeKind::Amount, 7000));
    }

    #[test]
    fn fixed_free_and_province_rules() {
        let q =
            FeeRule::Fixed { amount: 10_000, label: "Lệ phí chứng thực chữ ký".into() }
                .quote(&values(&[]), TODAY);
        assert_eq!((q.kind, q.total, q.lines.len()), (FeeKind::Amount, 10_000, 1));
        assert_eq!(FeeRule::Free.quote(&values(&[]), TODAY).kind, FeeKind::Free);
        let p = FeeRule::Province.quote(&values(&[]), TODAY);
        assert_eq!((p.kind, p.total), (FeeKind::Province, 0));
        assert!(p.note.contains("tỉnh"));
    }

    #[test]
    fn amounts_are_written_with_dots_and_the_dong_sign() {
        assert_eq!(vnd(0), "0đ");
        assert_eq!(vnd(7000), "7.000đ");
        assert_eq!(vnd(200_000), "200.000đ");
        assert_eq!(vnd(1_234_567), "1.234.567đ");
        assert_eq!(vnd(-52_000), "−52.000đ");
    }
}
