//! The embedded network against its observed facts (`networks/mn-kz/calibration.csv`): every
//! row is within its tolerance, or is a known gap stated with its reason in the file.

use steppe::analysis::assign::assign;
use steppe::analysis::calibrate::{Measure, check, parse_facts};
use steppe::analysis::demand::network_demand;
use steppe::cost::profile::Profile;
use steppe::graph::{SearchGraph, Weights};
use steppe::network::load_embedded;

#[test]
fn every_calibration_row_is_within_its_tolerance_or_a_stated_gap() {
    let n = load_embedded().unwrap();
    let (origin, text) = n.calibration_csv.clone().unwrap();
    let facts = parse_facts(&text, &origin).unwrap();
    assert!(facts.len() >= 15);
    let d = network_demand(&n).unwrap();
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let w = Weights::compile(&n, &g, &p);
    let a = assign(&n, &g, &w, &d);
    let checks = check(&n, &g, &p, &d, &a, &facts).unwrap();
    let bad: Vec<String> = checks
        .iter()
        .filter(|c| c.fact.known_gap.is_none() && !c.within())
        .map(|c| {
            format!(
                "{}: observed {} model {:?}",
                c.fact.id, c.fact.observed, c.model
            )
        })
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    // Gaps are the exception and say why.
    let gaps = checks.iter().filter(|c| c.fact.known_gap.is_some()).count();
    assert!(gaps * 3 < checks.len(), "{gaps} gaps");
    assert!(
        checks
            .iter()
            .filter_map(|c| c.fact.known_gap.as_ref())
            .all(|g| g.len() > 20)
    );
    // The headline fact: Mongolia's petroleum imports come mostly by rail.
    let fuel = checks
        .iter()
        .find(|c| matches!(&c.fact.measure, Measure::RailShare { commodity } if commodity == "petroleum"))
        .unwrap();
    assert!(fuel.model.unwrap() > 0.8, "{:?}", fuel.model);
}

#[test]
fn bad_calibration_rows_are_named_with_their_lines() {
    let text = "id,kind,subject,filter,observed,tolerance,unit,source\n\
                x1,mode_share,petroleum,to:MN,0.9,0.1,share,test\n\
                x2,crossing_volume,bcp_a,,5,0.1,t,test\n\
                x3,route_km,a-b,,5,0.1,km,test\n\
                x4,route_km,a>b,,lots,0.1,km,test\n";
    let e = parse_facts(text, "c.csv").unwrap_err().to_string();
    assert!(e.contains("3 bad row(s)"), "{e}");
    assert!(
        e.contains("line 3: unknown kind \"crossing_volume\""),
        "{e}"
    );
    assert!(
        e.contains("line 4: subject must be ORIGIN>DESTINATION"),
        "{e}"
    );
    assert!(
        e.contains("line 5: observed must be a number >= 0, got \"lots\""),
        "{e}"
    );
}
