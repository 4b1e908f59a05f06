//! Benchmark (not a test): how long one full eligibility evaluation takes for a large partner
//! (50 competencies, every engagement, 200 consultants). Run in release mode:
//! `cargo run -p planning-domain --release --example bench_eligibility`; the same code runs as
//! WebAssembly under Node (`scripts/benchmark` builds it for wasm32 and runs it through
//! wasm-bindgen's Node.js glue), timing with `performance.now()` there.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use planning_domain::catalog::{CompetencyLevel, COMPETENCIES};
use planning_domain::eligibility::{
    evaluate_eligibility, Consultant, EligibilityPolicy, HeldCompetency, PartnerLocation, PartnerProfile, PassedExam,
    SignedAgreement,
};
use planning_domain::{CountryCode, LocationId, OfferingCode};

fn large_partner(today: NaiveDate) -> PartnerProfile {
    let competency = |index: usize| COMPETENCIES[index % COMPETENCIES.len()].id;
    // 50 holdings: every competency several times, at both levels, some expired, as a long
    // MPN history would look.
    let competencies = (0..50)
        .map(|index| HeldCompetency {
            competency: competency(index * 7),
            level: if index % 3 == 0 { CompetencyLevel::Gold } else { CompetencyLevel::Silver },
            expires_on: if index % 4 == 0 {
                today.checked_sub_days(Days::new(30 + index as u64)).unwrap()
            } else {
                today.checked_add_days(Days::new(index as u64)).unwrap()
            },
        })
        .collect();
    let consultants = (0..200)
        .map(|index| Consultant {
            consultant_id: format!("consultant-{index}"),
            passed_exams: (0..3)
                .map(|exam| PassedExam {
                    exam: format!("EX-{}", 100 + index * 3 + exam),
                    counts_toward: competency(index + exam * 5),
                })
                .collect(),
        })
        .collect();
    let locations = ["KR", "US", "JP", "DE", "GB"]
        .iter()
        .enumerate()
        .map(|(index, country)| PartnerLocation {
            location_id: LocationId::parse(&format!("{:07}", 1_000_000 + index)).unwrap(),
            country: CountryCode::parse(country).unwrap(),
        })
        .collect();
    PartnerProfile {
        partner_id: "large".to_owned(),
        agreement: Some(SignedAgreement { version: 1, signed_on: today.checked_sub_days(Days::new(100)).unwrap() }),
        renewal_due_on: today.checked_add_days(Days::new(100)),
        compliance_training_completed: true,
        enrolled_offerings: OfferingCode::ACTIVE.to_vec(),
        competencies,
        locations,
        consultants,
    }
}

/// Milliseconds from an arbitrary start: `Instant` natively, `performance.now()` in wasm.
#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

#[cfg(not(target_arch = "wasm32"))]
fn report(line: &str) {
    println!("{line}");
}

#[cfg(target_arch = "wasm32")]
mod host {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance)]
        pub fn now() -> f64;
        #[wasm_bindgen(js_namespace = console)]
        pub fn log(line: &str);
    }
}

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    host::now()
}

#[cfg(target_arch = "wasm32")]
fn report(line: &str) {
    host::log(line);
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
    let partner = large_partner(today);
    let policy = EligibilityPolicy { compliance_training_required: true, ..EligibilityPolicy::published() };
    let engagements: usize =
        evaluate_eligibility(&partner, &policy, today).offerings.iter().map(|o| o.engagements.len()).sum();
    assert_eq!(engagements, 12);
    assert!(partner.competencies.len() == 50 && partner.consultants.len() == 200);

    // Warm up, then time batches of evaluations and report per-evaluation figures.
    for _ in 0..1_000 {
        black_box(evaluate_eligibility(black_box(&partner), &policy, today));
    }
    const BATCHES: usize = 200;
    const PER_BATCH: u32 = 100;
    let mut per_evaluation: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let started = now_ms();
            for _ in 0..PER_BATCH {
                black_box(evaluate_eligibility(black_box(&partner), &policy, today));
            }
            (now_ms() - started) * 1000.0 / f64::from(PER_BATCH)
        })
        .collect();
    per_evaluation.sort_by(f64::total_cmp);
    let mean = per_evaluation.iter().sum::<f64>() / BATCHES as f64;
    let median = per_evaluation[BATCHES / 2];
    report(&format!(
        "evaluate_eligibility: 50 competencies, 12 engagements, 200 consultants; {} evaluations",
        BATCHES as u32 * PER_BATCH
    ));
    // One line for scripts: the median in microseconds.
    report(&format!("median_us {median:.2} mean_us {mean:.2} fastest_batch_us {:.2}", per_evaluation[0]));
}
