//! The widget's own words (headings, labels, its messages), in English and Korean. Rule
//! vocabulary (statuses, steps, deadlines, offering and engagement names, refusals) comes from
//! the domain crate's `Localize` implementations, or pre-rendered from the server's error body.

use planning_domain::Locale;

/// A text the widget shows that no domain type says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text<'a> {
    Loading,
    VoucherTitle(&'a str),
    ServiceDays(u8),
    ReservedBy(&'a str),
    Progress,
    Deadlines,
    EligibilityTitle,
    EvaluatedOn(&'a str),
    Offerings,
    Eligible,
    NotEligible,
    /// The request failed before any answer could be read: the network, or the browser's CORS
    /// check (a page whose origin the token does not allow gets no readable answer at all).
    Unreachable,
    MissingAttribute(&'static str),
    UnknownKind,
    UnreadableAnswer,
}

impl Text<'_> {
    pub fn get(self, locale: Locale) -> String {
        let korean = locale == Locale::Ko;
        let pair = |en: &str, ko: &str| if korean { ko.to_owned() } else { en.to_owned() };
        match self {
            Text::Loading => pair("Loading…", "불러오는 중…"),
            Text::VoucherTitle(id) => {
                if korean {
                    format!("바우처 {id}")
                } else {
                    format!("Voucher {id}")
                }
            }
            Text::ServiceDays(days) => {
                if korean {
                    format!("{days}일")
                } else if days == 1 {
                    "1 day".to_owned()
                } else {
                    format!("{days} days")
                }
            }
            Text::ReservedBy(partner) => {
                if korean {
                    format!("파트너: {partner}")
                } else {
                    format!("Partner: {partner}")
                }
            }
            Text::Progress => pair("Progress", "진행 단계"),
            Text::Deadlines => pair("Deadlines", "마감일"),
            Text::EligibilityTitle => pair("Planning Services eligibility", "계획 서비스 자격"),
            Text::EvaluatedOn(date) => {
                if korean {
                    format!("{date} 기준")
                } else {
                    format!("As of {date}")
                }
            }
            Text::Offerings => pair("Offerings", "제공 프로그램"),
            Text::Eligible => pair("eligible", "자격 있음"),
            Text::NotEligible => pair("not eligible", "자격 없음"),
            Text::Unreachable => pair(
                "The portal could not be reached, or does not allow this website to show the widget.",
                "포털에 연결할 수 없거나 이 웹사이트에서 위젯 표시가 허용되지 않습니다.",
            ),
            Text::MissingAttribute(name) => {
                if korean {
                    format!("위젯에 \"{name}\" 속성이 없습니다.")
                } else {
                    format!("The widget is missing its \"{name}\" attribute.")
                }
            }
            Text::UnknownKind => pair(
                "Unknown widget kind: use kind=\"voucher\" or kind=\"eligibility\".",
                "알 수 없는 위젯 종류입니다. kind=\"voucher\" 또는 kind=\"eligibility\"를 사용하세요.",
            ),
            Text::UnreadableAnswer => {
                pair("The portal sent an answer the widget cannot read.", "포털의 응답을 위젯이 읽을 수 없습니다.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        let texts = [
            Text::Loading,
            Text::VoucherTitle("1"),
            Text::ServiceDays(5),
            Text::ReservedBy("x"),
            Text::Progress,
            Text::Deadlines,
            Text::EligibilityTitle,
            Text::EvaluatedOn("d"),
            Text::Offerings,
            Text::Eligible,
            Text::NotEligible,
            Text::Unreachable,
            Text::MissingAttribute("token"),
            Text::UnknownKind,
            Text::UnreadableAnswer,
        ];
        for text in texts {
            assert!(!text.get(Locale::En).is_empty());
            assert_ne!(text.get(Locale::En), text.get(Locale::Ko), "{text:?}");
        }
        assert_eq!(Text::ServiceDays(1).get(Locale::En), "1 day");
        assert_eq!(Text::ServiceDays(5).get(Locale::En), "5 days");
    }
}
