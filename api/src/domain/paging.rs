//! Page numbers from a query string, bounded so that no offset can overflow.

/// Pages past this one are empty anyway: it bounds the offset.
const LAST_PAGE: i64 = 10_000;

/// A page of a list: 1-based `page`, `per_page` rows, and the rows to skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
    pub offset: i64,
}

impl Paging {
    /// Page 1 and 20 a page by default; `per_page` 1–50, `page` 1–10 000.
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Paging {
        let per_page = per_page.unwrap_or(20).clamp(1, 50);
        let page = page.unwrap_or(1).clamp(1, LAST_PAGE);
        Paging {
            page,
            per_page,
            offset: (page - 1) * per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_or_negative_pages_are_bounded() {
        assert_eq!(Paging::new(None, None).offset, 0);
        assert_eq!(Paging::new(Some(3), Some(10)).offset, 20);
        assert_eq!(
            Paging::new(Some(i64::MAX), Some(50)).offset,
            (LAST_PAGE - 1) * 50
        );
        assert_eq!(
            Paging::new(Some(-5), Some(500)),
            Paging {
                page: 1,
                per_page: 50,
                offset: 0
            }
        );
    }
}
