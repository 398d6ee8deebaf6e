"""Controlled vocabularies of the practice schema.

Every term has a label and a one-line definition; themes also name the
guideline sections they come from, so a theme can be read back to the text
that asks for it. Entries that use a term outside these lists are rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    definition: str
    guideline_refs: tuple[str, ...] = field(default=())


def _terms(*rows) -> dict[str, Term]:
    terms = {}
    for row in rows:
        term = Term(row[0], row[1], row[2], tuple(row[3]) if len(row) > 3 else ())
        terms[term.id] = term
    return terms


REGIONS = _terms(
    ("africa", "Africa", "Sub-Saharan Africa (UN-Habitat regional grouping)."),
    ("arab-states", "Arab States", "Member states of the League of Arab States, North Africa and the Middle East."),
    ("asia-pacific", "Asia-Pacific", "East, South, South-East and Central Asia, Australia, New Zealand and the Pacific islands."),
    ("europe", "Europe", "Europe, including the European Union, the United Kingdom, the Balkans and Eastern Europe."),
    ("latin-america-caribbean", "Latin America and the Caribbean", "Mexico, Central and South America and the Caribbean."),
    ("north-america", "North America", "Canada and the United States."),
)

SCALES = _terms(
    ("neighbourhood", "Neighbourhood", "Run in one or a few neighbourhoods, corridors or sites of a city."),
    ("city-wide", "City-wide", "Run across the whole administrative area of one city."),
    ("metropolitan", "Metropolitan", "Run across a metropolitan region spanning several municipalities."),
    ("state-provincial", "State or provincial", "A programme or law of a state, province or other subnational government, carried out in named cities."),
    ("national", "National", "A national or state programme or law, carried out in named cities."),
    ("multi-city", "Multi-city", "The same model run in several cities at once, usually by one network or funder."),
)

PREVENTION = _terms(
    ("social", "Social prevention", "Targeted social and educational measures that address the risk factors of offending and victimization (¶26(a)).", ["26.a"]),
    ("situational", "Situational prevention", "Reducing opportunities for crime and victimization, including through environmental design (¶26(a)).", ["26.a"]),
    ("community", "Community-based prevention", "Changing the conditions of neighbourhoods and building on the expertise of their communities (¶26(a)).", ["26.a"]),
    ("criminal-justice", "Criminal justice", "Policing, courts, corrections and the justice system working with the community (¶26(b)).", ["26.b"]),
)

LEVELS = _terms(
    ("primary", "Primary", "Aimed at the whole population or a whole place, before any problem shows."),
    ("secondary", "Secondary", "Aimed at people or places at higher risk of offending or victimization."),
    ("tertiary", "Tertiary", "Aimed at people already involved in offending or victimization, to prevent repetition."),
)

THEMES = _terms(
    ("local-safety-governance", "Local governance of safety", "Coordinating centres, councils, partnerships and strategies that put a city in charge of its safety.", ["IV.F", "24.a", "24.d", "26.c.b.d"]),
    ("safety-diagnosis", "Safety audits and diagnoses", "City-wide or local assessments of crime, violence and insecurity that inform a strategy.", ["25.a.d", "25.a.d.iii"]),
    ("crime-mapping", "Crime mapping and analysis", "Geo-referenced analysis of crime and violence, their causes and consequences.", ["25.a.d.ii", "26.c.a.j"]),
    ("victimization-surveys", "Victimization and perception surveys", "Surveys of people's experience of crime and their feelings of safety.", ["25.a.d.iv"]),
    ("monitoring-evaluation", "Monitoring and evaluation", "Indicators, observatories and evaluations that track safety and test what works.", ["25.a.d.vii", "25.c.b", "25.d.c.ii"]),
    ("city-to-city-learning", "City-to-city learning", "Networks and exchanges in which cities learn promising practices from each other.", ["25.b.b", "30"]),
    ("training-capacity", "Training and capacity-building", "Competency frameworks, curricula and training for municipal and justice practitioners.", ["25.b.a", "25.d.c.iv", "26.c.c.e"]),
    ("social-urbanism", "Social urbanism and upgrading", "Integrated investment in infrastructure and services in excluded neighbourhoods, with their residents.", ["26.c.c.d", "26.c.a.e"]),
    ("informal-settlements", "Informal settlement upgrading", "Improving services, tenure and safety in slums and informal settlements.", ["26.c.a.a", "28.c"]),
    ("public-space", "Public space", "Creating, improving, managing and animating streets, parks and squares for all.", ["26.c.a.c", "26.c.a.e"]),
    ("environmental-design", "Environmental design (CPTED)", "Design, lighting, layout and maintenance that reduce opportunities for crime and fear.", ["26.a", "26.c.a.b"]),
    ("urban-regeneration", "Regeneration of abandoned spaces", "Cleaning, greening and reusing vacant lots, derelict buildings and neglected places.", ["26.c.a.e"]),
    ("public-transport", "Safe public transport", "Safety and security on buses, trains, cable cars and at stops and stations.", ["26.c.a.f", "26.c.a.g"]),
    ("road-safety", "Transport planning and road safety", "Street and transport planning that reduces traffic deaths and crime risk.", ["26.c.a.h"]),
    ("street-management", "Street management and vending", "Time-based and shared use of streets: ciclovías, markets and support for street traders.", ["26.c.b.e"]),
    ("shared-use-of-amenities", "Multipurpose use of public amenities", "Opening schools and other public buildings for community use outside their hours.", ["26.c.b.f"]),
    ("women-safety", "Safety of women and girls", "Preventing sexual harassment and violence against women and girls in public and private space.", ["28.a.i", "26.c.a.g"]),
    ("gender-based-violence", "Gender-based and intimate partner violence", "Preventing and responding to violence within couples and families and based on gender norms.", ["28.a.i", "26.b.i"]),
    ("youth-violence", "Youth violence prevention", "Programmes that reduce young people's involvement in violence as victims or perpetrators.", ["28.a.ii", "IV.K"]),
    ("youth-development", "Youth development and safe spaces", "Sport, arts, culture, jobs and spaces that treat children and youth as assets.", ["26.c.a.i", "28.a.ii", "IV.K"]),
    ("employment-livelihoods", "Employment and livelihoods", "Jobs, income and skills as a route away from crime and violence.", ["IV.B", "26.a"]),
    ("violence-interruption", "Violence interruption", "Outreach workers and credible messengers who mediate conflicts before they turn violent.", ["26.a", "26.c.b.g"]),
    ("group-violence-intervention", "Focused deterrence", "Direct communication with high-risk groups: a clear message, support services and swift, certain sanctions.", ["26.b.iii", "26.c.b.h"]),
    ("public-health-approach", "Public health approach to violence", "Treating violence as a preventable health problem: data, risk factors, multi-agency prevention.", ["IV.I", "25.a.d.i"]),
    ("community-policing", "Community-oriented policing", "Policing in partnership with residents, with problem-solving and local presence.", ["26.b.iii"]),
    ("hot-spots-policing", "Hot spots policing", "Concentrating police presence or problem-solving at the small places where crime concentrates.", ["26.c.b.h", "25.a.d.ii"]),
    ("police-accountability", "Police accountability and trust", "Oversight, complaints, procedural justice and reform that build trust in the police.", ["26.b.iv", "IV.A"]),
    ("mediation", "Mediation and conflict resolution", "Community or municipal mediation of disputes and tensions in urban spaces.", ["26.c.b.g"]),
    ("restorative-justice", "Restorative justice and reintegration", "Repairing harm through dialogue and helping people who offended return to the community.", ["26.b.ii"]),
    ("victim-support", "Access to justice and victim support", "Legal aid, victim assistance and services that help victims reach justice.", ["26.b.i"]),
    ("alcohol-regulation", "Alcohol regulation", "Trading hours, licensing and other controls on alcohol sales to reduce violence.", ["26.a", "26.c.b.h"]),
    ("firearms-control", "Firearms control", "Laws, carrying bans, amnesties and buy-backs that reduce gun violence.", ["26.a", "26.c.b.h"]),
    ("surveillance-technology", "Surveillance technology and data", "CCTV, predictive analytics and their regulation, privacy and algorithmic transparency.", ["26.c.b.i", "26.c.b.j", "25.a.d.vi"]),
    ("digital-tools", "Digital tools for citizen engagement", "Apps, maps and platforms through which people report unsafe places and engage.", ["25.d.c.iii", "25.a.d.vi"]),
    ("participatory-budgeting", "Participatory budgeting", "Residents deciding how part of a public budget is spent, including on safety.", ["26.c.c.b"]),
    ("municipal-financing", "Municipal and innovative financing", "Own-source revenue, dedicated funds and financing arrangements for safety.", ["26.c.c.a", "IV.L"]),
    ("private-sector-partnership", "Private-sector partnership", "Businesses co-funding or co-producing safety, such as improvement districts.", ["26.c.c.c", "28.b"]),
    ("cost-benefit", "Cost-benefit analysis", "Weighing the costs of prevention against the costs of crime avoided.", ["26.c.c.f"]),
    ("social-cohesion", "Social cohesion and inclusion", "Building trust and ties across groups and tackling exclusion, discrimination and xenophobia.", ["IV.B", "28.a.v"]),
    ("community-mobilisation", "Community mobilisation and co-production", "Residents organising, patrolling, planning and deciding on the safety of their area.", ["IV.J", "24.g"]),
    ("mental-health-crisis", "Mental health and crisis response", "Civilian or health-led responses to people in crisis, addiction or homelessness.", ["28.a.vi"]),
    ("early-intervention", "Family support and early intervention", "Working with children, parents and families early, before problems take hold.", ["26.a", "28.a.ii"]),
    ("school-based-prevention", "School-based prevention", "Curricula, staff and programmes in schools that prevent violence and offending.", ["26.a", "28.a.ii"]),
    ("mentoring", "Mentoring", "One-to-one or group mentoring of children and young people by trained adults or peers.", ["28.a.ii", "IV.K"]),
    ("youth-participation", "Children and youth as partners", "Youth councils, youth-led audits and other ways children and young people shape safety policy.", ["IV.K", "28.a.ii"]),
    ("courts-and-diversion", "Problem-solving courts and diversion", "Drug, community and youth courts, and diversion from prosecution or custody into treatment and support.", ["26.b", "26.b.ii"]),
    ("night-time-economy", "Night-time economy", "Managing the safety of city centres, bars, clubs and streets at night.", ["26.c.b.e", "26.c.b.h"]),
    ("online-safety", "Online harassment and cybercrime", "Preventing and responding to harassment, abuse and crime online and through phones.", ["25.a.d.vi", "26.c.b.j"]),
    ("housing-social-mix", "Housing and social mix", "Housing policy, social mix and alternatives to gated enclaves and the architecture of fear.", ["26.c.a.a", "annex.social-mix", "annex.architecture-of-fear"]),
    ("legislation-rights", "Urban legislation and rights", "Laws, charters and ordinances that frame safety, the right to the city and the roles of government.", ["26.c.b.a", "26.c.b.c", "26.c.b.m"]),
)

TARGET_GROUPS = _terms(
    ("general-public", "All residents", "Everyone living in, working in or visiting the area."),
    ("women-and-girls", "Women and girls", "Women and girls, as users of the city and as victims of gender-based violence (¶28(a)(i))."),
    ("children", "Children", "Children under about 15 (¶28(a)(ii))."),
    ("youth", "Youth", "Young people aged about 15 to 29 (¶28(a)(ii))."),
    ("young-men-at-high-risk", "Young men at high risk", "Young men with a high risk of being shot, stabbed or arrested, often gang-involved."),
    ("families", "Families and parents", "Parents, carers and households."),
    ("older-persons", "Older persons", "People aged about 60 and over (¶28(a)(vi))."),
    ("persons-with-disabilities", "Persons with disabilities", "Persons with physical, sensory, intellectual or psychosocial disabilities, including mental health conditions (¶28(a)(iii), (vi))."),
    ("indigenous-peoples", "Indigenous peoples", "Indigenous peoples and communities (¶28(a)(iv))."),
    ("ethnic-minorities", "Ethnic and religious minorities", "Groups that have historically faced discrimination (¶28(a)(vi))."),
    ("migrants-and-refugees", "Migrants, refugees and displaced persons", "Refugees, internally displaced persons and migrants (¶28(a)(v))."),
    ("residents-of-informal-settlements", "Residents of informal settlements", "People living in slums, favelas, townships and other informal or under-served areas."),
    ("people-in-conflict-with-the-law", "People in conflict with the law", "People who have offended, are on probation or parole, or are returning from prison."),
    ("victims", "Victims and survivors", "People harmed by crime or violence, including repeat victims."),
    ("people-experiencing-homelessness", "People experiencing homelessness", "People without stable housing."),
    ("people-who-use-drugs-or-alcohol", "People who use drugs or alcohol", "People whose drug or alcohol use puts them or others at risk."),
    ("lgbtiq-people", "LGBTIQ people", "Lesbian, gay, bisexual, transgender, intersex and queer people."),
    ("street-traders", "Street traders", "Informal and small-scale traders working on city streets and markets."),
    ("businesses", "Businesses", "Shops, bars, employers and business associations."),
    ("municipal-staff", "Municipal and justice practitioners", "Staff of local government, police and the justice system as learners and actors."),
)

EVIDENCE_RATINGS = _terms(
    ("effective", "Effective", "At least one rigorous evaluation (a randomized trial or a strong quasi-experiment with a comparison group) found the intended effect, and no rigorous study found harm."),
    ("promising", "Promising", "Evaluations point to the intended effect, but with weaker designs (before-after, no solid comparison group, short follow-up) or a single study with caveats; more testing is needed."),
    ("mixed", "Mixed", "Evaluations disagree, or the effect held for some outcomes, places or periods but not others."),
    ("no-effect", "No effect", "A rigorous evaluation found no meaningful effect on the intended outcome."),
    ("harmful", "Harmful", "Evaluation found that it made things worse: more crime, violence, harm or rights violations."),
    ("not-evaluated", "Not evaluated", "No published outcome evaluation was found; the practice is documented but its effect is unknown."),
)

EVIDENCE_DESIGNS = _terms(
    ("rct", "Randomized controlled trial", "People, places or groups were randomly assigned to receive the programme or not."),
    ("quasi-experimental", "Quasi-experimental", "Compared with a matched or statistical comparison group, without random assignment."),
    ("before-after", "Before and after", "Compared outcomes before and after, without a comparison group."),
    ("qualitative", "Qualitative", "Interviews, case studies or observation of how it worked, without measured outcomes."),
    ("monitoring", "Monitoring data", "Routine figures collected by the programme or city, not a designed evaluation."),
    ("none", "None", "No evaluation of any kind was found."),
)

OUTCOME_DIRECTIONS = _terms(
    ("decrease", "Decrease", "The outcome went down."),
    ("increase", "Increase", "The outcome went up."),
    ("no-change", "No change", "No meaningful change was found."),
    ("mixed", "Mixed", "The direction differed by place, period or measure."),
)

REGISTRIES = _terms(
    ("crimesolutions", "CrimeSolutions", "US National Institute of Justice registry of programmes and practices (crimesolutions.ojp.gov)."),
    ("college-of-policing", "College of Policing Crime Reduction Toolkit", "UK What Works Centre for Crime Reduction toolkit (college.police.uk)."),
    ("yef", "Youth Endowment Fund Toolkit", "UK evidence toolkit on preventing children and young people's involvement in violence (youthendowmentfund.org.uk)."),
    ("blueprints", "Blueprints for Healthy Youth Development", "University of Colorado registry of youth programmes (blueprintsprograms.org)."),
    ("eif", "Early Intervention Foundation Guidebook", "UK guidebook of early intervention programmes, now Foundations (guidebook.eif.org.uk)."),
    ("idb", "IDB crime and violence prevention evidence", "Inter-American Development Bank evidence platform on citizen security in Latin America and the Caribbean."),
    ("wsipp", "Washington State Institute for Public Policy", "Benefit-cost results and evidence classifications (wsipp.wa.gov)."),
    ("eucpn", "European Crime Prevention Network", "EUCPN database and toolbox of crime prevention practices (eucpn.org)."),
)

COST_BANDS = _terms(
    ("low", "Low", "Low cost per person or place reached, relative to other practices."),
    ("medium", "Medium", "Moderate cost per person or place reached."),
    ("high", "High", "High cost per person or place reached, often capital investment."),
)

# The front-matter fields whose values must come from a vocabulary.
VOCABULARIES: dict[str, dict[str, Term]] = {
    "region": REGIONS,
    "scale": SCALES,
    "prevention": PREVENTION,
    "levels": LEVELS,
    "themes": THEMES,
    "target_groups": TARGET_GROUPS,
    "evidence.rating": EVIDENCE_RATINGS,
    "evidence.design": EVIDENCE_DESIGNS,
    "outcome.direction": OUTCOME_DIRECTIONS,
    "outcome.rating": EVIDENCE_RATINGS,
    "cost_band": COST_BANDS,
    "evidence.registries.registry": REGISTRIES,
}

# Facets exposed for filtering and counting, in display order.
FACETS = {
    "region": REGIONS,
    "theme": THEMES,
    "target_group": TARGET_GROUPS,
    "prevention": PREVENTION,
    "rating": EVIDENCE_RATINGS,
}

BODY_SECTIONS = (
    "Problem",
    "What was done",
    "How it works",
    "Implementation",
    "Results and evidence",
    "Lessons learned",
    "Transferability",
)


def label(vocabulary: dict[str, Term], term_id: str) -> str:
    """Return the label of a term, or the id itself when it is unknown."""
    term = vocabulary.get(term_id)
    return term.label if term else term_id
