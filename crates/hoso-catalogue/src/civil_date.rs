//! Calendar dates as Vietnamese forms write them (dd/mm/yyyy), without a date-time library.

use std::fmt;

/// A date in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Vietnam has used UTC+7 all year since 1975; no daylight saving.
const VIETNAM_OFFSET_MS: i64 = 7 * 3600 * 1000;

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form dd/mm/yyyy.
    Format,
    /// dd/mm/yyyy, but no such day (31/02, month 13, year before 1900).
    NoSuchDay,
}

impl CivilDate {
    /// Builds a date, checking that the day exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// Parses `dd/mm/yyyy` (two digits, two digits, four digits), the way forms write dates.
    pub fn parse_vn(text: &str) -> Result<Self, DateError> {
        let b = text.trim().as_bytes();
        let shape_ok = b.len() == 10
            && b[2] == b'/'
            && b[5] == b'/'
            && b.iter().enumerate().all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter().fold(0i32, |acc, c| acc * 10 + i32::from(c - b'0'))
        };
        let (day, month, year) = (num(0..2), num(3..5), num(6..10));
        if year < 1900 {
            return Err(DateError::NoSuchDay);
        }
        let month = u8::try_from(month).map_err(|_| DateError::NoSuchDay)?;
        let day = u8::try_from(day).map_err(|_| DateError::NoSuchDay)?;
        Self::new(year, month, day).ok_or(DateError::NoSuchDay)
    }

    /// The date in Vietnam at the given instant (milliseconds since the Unix epoch).
    pub fn in_vietnam_at(unix_ms: i64) -> Self {
        let days = (unix_ms + VIETNAM_OFFSET_MS).div_euclid(86_400_000);
        Self::from_days_since_epoch(days)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil), to count days between dates.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Converts a day count since 1970-01-01 to a date (Howard Hinnant's civil-from-days).
    fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_round_trip() {
        for days in [-800_000i64, -1, 0, 59, 60, 365, 11_016, 20_000, 2_932_896] {
            assert_eq!(CivilDate::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(CivilDate::new(2025, 7, 1).unwrap().days_since_epoch(), 20_270);
    }

    #[test]
    fn parses_form_dates_and_rejects_impossible_ones() {
        assert_eq!(
            CivilDate::parse_vn("05/09/1990"),
            Ok(CivilDate { year: 1990, month: 9, day: 5 })
        );
        assert_eq!(CivilDate::parse_vn("29/02/2024").map(|d| d.day), Ok(29));
        assert_eq!(CivilDate::parse_vn("29/02/2023"), Err(DateError::NoSuchDay));
        assert_eq!(CivilDate::parse_vn("31/04/2020"), Err(DateError::NoSuchDay));
        assert_eq!(CivilDate::parse_vn("01/13/2020"), Err(DateError::NoSuchDay));
        assert_eq!(CivilDate::parse_vn("00/01/2020"), Err(DateError::NoSuchDay));
        assert_eq!(CivilDate::parse_vn("01/01/1850"), Err(DateError::NoSuchDay));
        assert_eq!(CivilDate::parse_vn("1990-09-05"), Err(DateError::Format));
        assert_eq!(CivilDate::parse_vn("5/9/1990"), Err(DateError::Format));
        assert_eq!(CivilDate::parse_vn(""), Err(DateError::Format));
        assert_eq!(CivilDate::parse_vn("05/09/199０"), Err(DateError::Format));
    }

    #[test]
    fn vietnam_date_turns_at_midnight_local_time() {
        // 2026-11-21T16:59:59Z is 23:59:59 in Hanoi; one second later it is the 22nd there.
        let before = 1_795_280_399_000;
        assert_eq!(CivilDate::in_vietnam_at(before).to_string(), "21/11/2026");
        assert_eq!(CivilDate::in_vietnam_at(before + 1000).to_string(), "22/11/2026");
        assert_eq!(CivilDate::in_vietnam_at(0).to_string(), "01/01/1970");
        assert_eq!(CivilDate::in_vietnam_at(951_782_400_000).to_string(), "29/02/2000");
    }
}
