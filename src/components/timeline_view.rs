//! The program timeline: what is open on the program date, the next deadline, and every
//! milestone with the program date's position among them.

use leptos::prelude::*;
use planning_domain::timeline::{ActionStatus, Deadline};
use planning_domain::{Localize, Milestone, ProgramStatus};

use crate::format::long_date;
use crate::state::locale::{text_with, use_domain_locale};

#[component]
pub fn TimelineView(status: ProgramStatus) -> impl IntoView {
    let ProgramStatus { today, milestones, actions, next_deadline } = status;
    view! {
        <div class="timeline-layout">
            <NextDeadline deadline=next_deadline />
            <ActionList actions=actions />
            <MilestoneList milestones=milestones today=today />
        </div>
    }
}

#[component]
fn NextDeadline(deadline: Option<Deadline>) -> impl IntoView {
    let locale = use_domain_locale();
    let body = match deadline {
        Some(deadline) => {
            let when = match deadline.days_left {
                0 => tr!(days_left_today).into_any(),
                1 => tr!(days_left_tomorrow).into_any(),
                count => text_with(move |locale| tr_in!(locale, days_left_many, &count.to_string())).into_any(),
            };
            view! {
                <p class="deadline__what">{move || deadline.kind.message(locale.get())}</p>
                <p class="deadline__when">
                    <time datetime=deadline.date.to_string()>{move || long_date(deadline.date, locale.get())}</time>
                    <span class="deadline__countdown">{when}</span>
                </p>
            }
            .into_any()
        }
        None => view! { <p>{tr!(no_deadline)}</p> }.into_any(),
    };
    view! {
        <section class="card deadline" aria-labelledby="next-deadline-title">
            <h2 id="next-deadline-title">{tr!(next_deadline_title)}</h2>
            {body}
            <p class="muted">{tr!(dates_are_utc)}</p>
        </section>
    }
}

#[component]
fn ActionList(actions: Vec<ActionStatus>) -> impl IntoView {
    let locale = use_domain_locale();
    let items = actions
        .into_iter()
        .map(|status| {
            let (class, badge, when) = if status.open {
                (
                    "action action--open",
                    view! { <span aria-hidden="true">"✓"</span> " " {tr!(action_open)} }.into_any(),
                    text_with(move |locale| tr_in!(locale, action_last_day, &long_date(status.last_day, locale)))
                        .into_any(),
                )
            } else {
                (
                    "action action--closed",
                    view! { <span aria-hidden="true">"✕"</span> " " {tr!(action_closed)} }.into_any(),
                    text_with(move |locale| tr_in!(locale, action_closed_after, &long_date(status.last_day, locale)))
                        .into_any(),
                )
            };
            view! {
                <li class=class data-action=format!("{:?}", status.action)>
                    <span class="action__name">{move || status.action.message(locale.get())}</span>
                    <span class="badge">{badge}</span>
                    <span class="action__when">{when}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="actions-title">
            <h2 id="actions-title">{tr!(actions_title)}</h2>
            <ul class="actions">{items}</ul>
        </section>
    }
}

#[component]
fn MilestoneList(milestones: Vec<Milestone>, today: chrono::NaiveDate) -> impl IntoView {
    let locale = use_domain_locale();
    let today_position =
        milestones.iter().position(|milestone| milestone.is_ahead_of(today)).unwrap_or(milestones.len());
    let today_marker = move || {
        view! {
            <li class="timeline__item timeline__item--today" aria-current="date">
                <span class="timeline__dot" aria-hidden="true"></span>
                <span class="timeline__label">
                    {text_with(move |locale| tr_in!(locale, today_marker, &long_date(today, locale)))}
                </span>
            </li>
        }
    };
    let mut items = Vec::with_capacity(milestones.len() + 1);
    for (index, milestone) in milestones.into_iter().enumerate() {
        if index == today_position {
            items.push(today_marker().into_any());
        }
        let passed = index < today_position;
        let state = if passed { tr!(milestone_passed).into_any() } else { tr!(milestone_ahead).into_any() };
        let class =
            if passed { "timeline__item timeline__item--passed" } else { "timeline__item timeline__item--ahead" };
        items.push(
            view! {
                <li class=class>
                    <span class="timeline__dot" aria-hidden="true"></span>
                    <time class="timeline__date" datetime=milestone.date.to_string()>
                        {move || long_date(milestone.date, locale.get())}
                    </time>
                    <span class="timeline__label">{move || milestone.kind.message(locale.get())}</span>
                    <span class="timeline__state">{state}</span>
                </li>
            }
            .into_any(),
        );
    }
    if today_position == items.len() {
        items.push(today_marker().into_any());
    }
    view! {
        <section class="card card--wide" aria-labelledby="milestones-title">
            <h2 id="milestones-title">{tr!(milestones_title)}</h2>
            <ol class="timeline">{items}</ol>
        </section>
    }
}
