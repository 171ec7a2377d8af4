"""A plausible, synthetic directory for the demo boroughs (DESIGN §6, issue 8).

Local services are invented and written for this demo; their organisations are the demo
agencies or invented ones marked "(demo)", and every street address and postcode is
synthetic (inward codes ending "ZZ"). The national helplines are real, with their genuinely
public numbers and hours. Every refuge has a confidential location. Idempotent: ids are
derived from each entry's key, and an existing service is left as it is.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from directory.models import Service
from directory.reference import outcode_centroids
from directory.services import organisation_upsert, service_create, service_upsert
from partnership.demo import DemoContext
from partnership.models import Agency

DEMO_NAMESPACE = "https://vawg-portal.uk/demo/"
WEEKDAYS = [0, 1, 2, 3, 4]
OFFICE_HOURS = [{"weekdays": WEEKDAYS, "opens_at": "09:00", "closes_at": "17:00"}]
ALWAYS = [{"weekdays": list(range(7)), "opens_at": "00:00", "closes_at": "24:00"}]

BOROUGHS = {
    "westminster": ("Westminster", ["W2", "W9", "SW1V", "NW8"], ["ar", "bn", "so"]),
    "hammersmith-and-fulham": (
        "Hammersmith and Fulham",
        ["W6", "W12", "SW6", "W14"],
        ["pl", "so", "ar"],
    ),
    "kensington-and-chelsea": (
        "Kensington and Chelsea",
        ["W10", "W11", "SW5", "SW10"],
        ["ar", "pt", "es"],
    ),
    "havering": ("Havering", ["RM1", "RM3", "RM12", "RM1"], ["lt", "ro", "tw"]),
}

# Invented organisations (name, description); demo agencies are used by slug.
ORGANISATIONS = {
    "central-women": (
        "Central London Women's Aid (demo)",
        "An invented women's charity for the demo.",
    ),
    "tri-borough-refuges": ("Tri-borough Refuge Partnership (demo)", "Invented refuge provider."),
    "westway-counselling": (
        "Westway Counselling Collective (demo)",
        "Invented counselling charity.",
    ),
    "east-london-change": (
        "East London Change Project (demo)",
        "Invented behaviour change provider.",
    ),
    "london-survivors-law": (
        "London Survivors' Law Centre (demo)",
        "Invented legal advice charity.",
    ),
    "young-voices": ("Young Voices London (demo)", "Invented children and young people's charity."),
    "sisters-together": (
        "Sisters Together London (demo)",
        "Invented by-and-for women's organisation.",
    ),
    "havering-council": (
        "London Borough of Havering (demo services)",
        "Council services in the demo.",
    ),
    "tri-borough-council": ("Tri-borough Council Services (demo)", "Council services in the demo."),
}

# (key, provider, name, description, taxonomy, extra)
LOCAL_TEMPLATES = [
    (
        "idva",
        "idva",
        "{b} domestic abuse advocacy (IDVA)",
        "Independent domestic violence advisers support people at high risk of harm from a "
        "partner, ex-partner or family member. An adviser makes a safety plan with you, helps "
        "with police, courts and housing, and speaks up for you at MARAC.",
        ["st-idva", "at-domestic-abuse", "at-stalking", "pop-women", "pop-men"],
        {"schedules": OFFICE_HOURS, "minimum_age": 16},
    ),
    (
        "outreach",
        "outreach",
        "{b} domestic abuse outreach",
        "Support in your own home or somewhere safe in the community, for as long as you need "
        "it: safety planning, emotional support, help with benefits, housing and children's "
        "schools. Coercive control, economic abuse and stalking included.",
        ["st-outreach", "at-domestic-abuse", "at-stalking", "pop-women"],
        {"schedules": OFFICE_HOURS, "minimum_age": 16},
    ),
    (
        "refuge",
        "tri-borough-refuges",
        "{b} women's refuge",
        "Safe, shared accommodation for women and their children escaping domestic abuse, "
        "with a key worker, children's workers and help to move on. The address is kept secret.",
        ["st-refuge", "at-domestic-abuse", "at-honour-based-abuse", "pop-women", "pop-children"],
        {
            "schedules": ALWAYS,
            "confidential": True,
            "accepts_self_referral": False,
            "referral_notes": "Call the National Domestic Abuse Helpline on 0808 2000 247, any "
            "time, to find a space, or ask your IDVA or outreach worker.",
        },
    ),
    (
        "counselling",
        "westway-counselling",
        "{b} counselling for survivors",
        "Free, trauma-informed counselling for adults who have experienced domestic abuse or "
        "sexual violence, now or in the past: 12 to 24 weekly sessions in person or by video.",
        ["st-counselling", "at-domestic-abuse", "at-sexual-violence", "pop-women", "pop-men"],
        {
            "schedules": [{"weekdays": [0, 1, 2, 3], "opens_at": "10:00", "closes_at": "20:00"}],
            "minimum_age": 18,
        },
    ),
    (
        "young-people",
        "young-voices",
        "{b} children and young people's service",
        "Support for children and teenagers living with domestic abuse or in an abusive "
        "relationship of their own: one-to-one sessions, groups and a young people's advocate.",
        ["st-children", "at-domestic-abuse", "at-sexual-exploitation", "pop-children"],
        {
            "schedules": [{"weekdays": WEEKDAYS, "opens_at": "10:00", "closes_at": "18:00"}],
            "minimum_age": 5,
            "maximum_age": 18,
        },
    ),
    (
        "one-stop-shop",
        "central-women",
        "{b} domestic abuse one stop shop",
        "A weekly drop-in where advisers from the police, housing, legal and specialist "
        "services are in one room. Come without an appointment; there is a children's corner.",
        ["st-drop-in", "st-legal", "st-housing", "at-domestic-abuse", "pop-women", "pop-men"],
        {"schedules": [{"weekdays": [2], "opens_at": "10:00", "closes_at": "13:00"}]},
    ),
    (
        "sanctuary",
        "council",
        "{b} sanctuary scheme and housing options",
        "If you want to stay in your home, the sanctuary scheme can change the locks and make "
        "doors and windows more secure. Housing officers also help if you need to move.",
        ["st-housing", "at-domestic-abuse", "pop-women", "pop-men", "pop-nrpf"],
        {"schedules": OFFICE_HOURS, "minimum_age": 18},
    ),
    (
        "groups",
        "outreach",
        "{b} recovery groups",
        "Twelve-week groups, such as the Freedom Programme, where survivors learn about "
        "abusive behaviour, rebuild confidence and meet others who understand.",
        ["st-groups", "at-domestic-abuse", "pop-women"],
        {
            "schedules": [{"weekdays": [3], "opens_at": "18:00", "closes_at": "20:00"}],
            "minimum_age": 18,
        },
    ),
    (
        "change",
        "east-london-change",
        "{b} behaviour change programme",
        "A programme for people who want to stop being abusive to a partner, with a separate "
        "support worker for the partner. Referral by yourself, children's services or probation.",
        ["st-perpetrator", "at-domestic-abuse", "pop-men"],
        {
            "schedules": [{"weekdays": [1], "opens_at": "18:30", "closes_at": "21:00"}],
            "minimum_age": 18,
            "is_free": False,
            "fees": "Free if referred by children's services; "
            "otherwise a weekly charge on a sliding scale.",
        },
    ),
    (
        "court",
        "idva",
        "{b} court and witness support",
        "Help before, during and after a criminal or family court case: visits to the court, "
        "separate waiting areas, special measures and someone with you on the day.",
        ["st-court", "at-domestic-abuse", "at-sexual-violence", "pop-women", "pop-men"],
        {"schedules": OFFICE_HOURS, "minimum_age": 16},
    ),
]

SPECIALIST = [
    (
        "westminster",
        "exploitation",
        "sisters-together",
        "routes out of exploitation",
        "Advocacy for women who sell sex or have been trafficked or sexually exploited: health, "
        "housing, immigration advice and a route out, without judgement.",
        ["st-outreach", "at-trafficking", "at-prostitution", "at-sexual-exploitation", "pop-women"],
        {"schedules": OFFICE_HOURS, "languages": ["en", "ro", "pt", "es"]},
    ),
    (
        "westminster",
        "lgbt",
        "central-women",
        "LGBT+ domestic abuse advocacy",
        "Advocacy for lesbian, gay, bisexual, trans and non-binary people experiencing abuse from "
        "a partner or family, including abuse about sexuality or gender identity.",
        ["st-idva", "at-domestic-abuse", "at-honour-based-abuse", "pop-lgbt"],
        {"schedules": OFFICE_HOURS, "minimum_age": 16},
    ),
    (
        "hammersmith-and-fulham",
        "minoritised",
        "sisters-together",
        "Black and minoritised women's advocacy",
        "A by-and-for service for Black, Asian, Middle Eastern and other minoritised women: "
        "advocacy in your own language, help with immigration status and support with forced "
        "marriage and so-called honour-based abuse.",
        [
            "st-idva",
            "at-domestic-abuse",
            "at-forced-marriage",
            "at-honour-based-abuse",
            "pop-black-minoritised",
            "pop-women",
            "pop-nrpf",
        ],
        {"schedules": OFFICE_HOURS, "languages": ["en", "ar", "so", "bn", "ur", "fa", "ku"]},
    ),
    (
        "kensington-and-chelsea",
        "fgm-clinic",
        "tri-borough-council",
        "FGM community clinic",
        "A specialist clinic for women and girls affected by female genital mutilation: "
        "health checks, deinfibulation, counselling and advice, with female doctors and "
        "interpreters.",
        ["st-health", "at-fgm", "pop-women", "pop-black-minoritised"],
        {
            "schedules": [{"weekdays": [4], "opens_at": "09:30", "closes_at": "13:00"}],
            "languages": ["en", "so", "ar", "am", "ti", "sw"],
        },
    ),
    (
        "kensington-and-chelsea",
        "isva",
        "central-women",
        "sexual violence advocacy (ISVA)",
        "Independent sexual violence advisers support anyone who has been raped or sexually "
        "assaulted, recently or in the past, whether or not you report to the police.",
        ["st-idva", "st-sexual-violence", "at-sexual-violence", "pop-women", "pop-men", "pop-lgbt"],
        {"schedules": OFFICE_HOURS, "minimum_age": 13},
    ),
    (
        "havering",
        "deaf-disabled",
        "outreach",
        "Deaf and disabled survivors' service",
        "Support for Deaf and disabled people experiencing abuse from a partner, family member "
        "or carer. British Sign Language interpreters, home visits and accessible information.",
        ["st-outreach", "at-domestic-abuse", "at-elder-abuse", "pop-disabled"],
        {"schedules": OFFICE_HOURS, "languages": ["en", "bfi"]},
    ),
    (
        "havering",
        "mens",
        "idva",
        "men's domestic abuse support",
        "Confidential support for men experiencing abuse from a partner or family member: "
        "safety planning, advice about children and housing, and someone to talk to.",
        ["st-outreach", "at-domestic-abuse", "pop-men"],
        {
            "schedules": [{"weekdays": WEEKDAYS, "opens_at": "10:00", "closes_at": "20:00"}],
            "minimum_age": 18,
        },
    ),
    (
        "havering",
        "older",
        "council",
        "older people's safeguarding and abuse support",
        "Help for people over 55 harmed by a partner, adult child or carer, working with adult "
        "social care to keep you safe at home.",
        ["st-outreach", "at-elder-abuse", "at-domestic-abuse", "pop-older"],
        {"schedules": OFFICE_HOURS, "minimum_age": 55},
    ),
    (
        "havering",
        "women-aid-refuge-2",
        "outreach",
        "refuge for women with older sons",
        "Self-contained flats for women escaping abuse with children, including sons over 12. "
        "The address is kept secret.",
        ["st-refuge", "at-domestic-abuse", "pop-women", "pop-children"],
        {
            "schedules": ALWAYS,
            "confidential": True,
            "accepts_self_referral": False,
            "referral_notes": "Call the National Domestic Abuse Helpline on 0808 2000 247.",
        },
    ),
]

LONDON_WIDE = [
    (
        "legal",
        "london-survivors-law",
        "Legal advice for survivors",
        "Free advice on non-molestation and occupation orders, child arrangements, divorce and "
        "immigration status, including the domestic violence concession for people with no "
        "recourse to public funds.",
        ["st-legal", "at-domestic-abuse", "at-forced-marriage", "pop-women", "pop-men", "pop-nrpf"],
        {
            "schedules": [{"weekdays": [0, 2, 4], "opens_at": "10:00", "closes_at": "16:00"}],
            "languages": ["en", "ar", "pl", "pt", "es", "ur"],
        },
    ),
    (
        "young-sv",
        "young-voices",
        "Young people's sexual violence service",
        "Support for young people aged 13 to 25 after rape, sexual assault, exploitation or "
        "harmful sexual behaviour online, with a young people's ISVA.",
        [
            "st-sexual-violence",
            "st-children",
            "at-sexual-violence",
            "at-sexual-exploitation",
            "at-online-abuse",
            "pop-children",
        ],
        {"schedules": OFFICE_HOURS, "minimum_age": 13, "maximum_age": 25},
    ),
    (
        "money",
        "central-women",
        "Money and work after abuse",
        "Help to untangle debts run up in your name, claim benefits, open a safe bank account, "
        "and get back into training or work after economic abuse.",
        ["st-money-work", "at-domestic-abuse", "pop-women"],
        {"schedules": OFFICE_HOURS, "minimum_age": 18},
    ),
    (
        "apva",
        "young-voices",
        "Child to parent abuse support",
        "Support for parents and carers harmed by their own child or teenager, and a programme "
        "for the young person to change their behaviour.",
        ["st-children", "st-groups", "at-adolescent-to-parent", "pop-children"],
        {"schedules": OFFICE_HOURS},
    ),
    (
        "online",
        "sisters-together",
        "Online abuse and tech safety advice",
        "Help with online abuse, tracking apps, shared accounts and image-based abuse: how to "
        "secure your phone and accounts and collect evidence safely.",
        ["st-helpline", "at-online-abuse", "at-stalking", "pop-women"],
        {
            "schedules": [{"weekdays": [1, 3], "opens_at": "10:00", "closes_at": "16:00"}],
            "virtual": True,
        },
    ),
    (
        "harassment",
        "london-survivors-law",
        "Sexual harassment advice line",
        "Advice about sexual harassment at work, in education, on transport or in the street, "
        "including how to report it and your rights at work.",
        ["st-legal", "st-helpline", "at-sexual-harassment", "pop-women"],
        {
            "schedules": [{"weekdays": WEEKDAYS, "opens_at": "12:00", "closes_at": "18:00"}],
            "virtual": True,
        },
    ),
]

# Real national helplines: (key, organisation name, name, description, phone, taxonomy, hours)
HELPLINES = [
    (
        "national-da",
        "Refuge",
        "National Domestic Abuse Helpline",
        "Free, confidential advice and support for anyone experiencing domestic abuse, and for "
        "friends, family and professionals. Can find refuge spaces anywhere in England.",
        "0808 2000 247",
        ["st-helpline", "at-domestic-abuse", "pop-women"],
        ALWAYS,
        {},
    ),
    (
        "rape-crisis",
        "Rape Crisis",
        "Rape Crisis 24/7 Support Line",
        "Free support for anyone aged 16 or over in England and Wales affected by rape, sexual "
        "assault, sexual abuse or any form of sexual violence, at any time in their life.",
        "0808 500 2222",
        ["st-helpline", "st-sexual-violence", "at-sexual-violence"],
        ALWAYS,
        {"minimum_age": 16},
    ),
    (
        "childline",
        "NSPCC",
        "Childline",
        "Free, confidential help for children and young people under 19 with anything worrying "
        "them, including abuse at home. Calls do not show on phone bills.",
        "0800 1111",
        ["st-helpline", "st-children", "at-domestic-abuse", "pop-children"],
        ALWAYS,
        {"maximum_age": 18},
    ),
    (
        "galop",
        "Galop",
        "LGBT+ Domestic Abuse Helpline",
        "Emotional and practical support for LGBT+ people experiencing domestic abuse, including "
        "abuse from family members and so-called conversion practices.",
        "0800 999 5428",
        ["st-helpline", "at-domestic-abuse", "at-honour-based-abuse", "pop-lgbt"],
        [
            {"weekdays": [0, 1, 2, 3], "opens_at": "10:00", "closes_at": "20:30"},
            {"weekdays": [4], "opens_at": "10:00", "closes_at": "16:30"},
        ],
        {},
    ),
    (
        "mens-advice",
        "Respect",
        "Men's Advice Line",
        "A confidential helpline for men experiencing domestic abuse from a partner, ex-partner "
        "or family member.",
        "0808 8010 327",
        ["st-helpline", "at-domestic-abuse", "pop-men"],
        [{"weekdays": WEEKDAYS, "opens_at": "10:00", "closes_at": "20:00"}],
        {},
    ),
    (
        "modern-slavery",
        "Unseen",
        "Modern Slavery and Exploitation Helpline",
        "Confidential advice if you or someone you know may be a victim of trafficking, forced "
        "labour, sexual exploitation or domestic servitude. Interpreters available.",
        "08000 121 700",
        ["st-helpline", "at-trafficking"],
        ALWAYS,
        {},
    ),
    (
        "fmu",
        "Forced Marriage Unit",
        "Forced Marriage Unit",
        "Government advice and support if you are at risk of forced marriage, or worried about "
        "someone else, in the UK or abroad.",
        "020 7008 0151",
        ["st-helpline", "at-forced-marriage", "at-honour-based-abuse"],
        [{"weekdays": WEEKDAYS, "opens_at": "09:00", "closes_at": "17:00"}],
        {},
    ),
    (
        "fgm",
        "NSPCC",
        "FGM Helpline",
        "Free, anonymous advice if you are worried a child is at risk of, or has had, female "
        "genital mutilation.",
        "0800 028 3550",
        ["st-helpline", "at-fgm", "pop-children"],
        ALWAYS,
        {},
    ),
    (
        "hourglass",
        "Hourglass",
        "Hourglass helpline for older people",
        "Support for older people experiencing abuse, harm or exploitation, and for people "
        "worried about them.",
        "0808 808 8141",
        ["st-helpline", "at-elder-abuse", "pop-older"],
        ALWAYS,
        {},
    ),
    (
        "revenge-porn",
        "SWGfL",
        "Revenge Porn Helpline",
        "Help for adults in the UK whose intimate images have been shared without consent, "
        "including getting images removed.",
        "0345 6000 459",
        ["st-helpline", "at-online-abuse"],
        [{"weekdays": WEEKDAYS, "opens_at": "10:00", "closes_at": "16:00"}],
        {"minimum_age": 18},
    ),
]

# Entries left unchecked, to show the rules: flagged after six months, hidden after twelve.
STALE = {"havering/groups": 200, "westminster/groups": 400}

BOROUGH_PROVIDERS = {
    "westminster": {
        "idva": "standing-together",
        "outreach": "advance",
        "council": "tri-borough-council",
    },
    "hammersmith-and-fulham": {
        "idva": "standing-together",
        "outreach": "advance",
        "council": "tri-borough-council",
    },
    "kensington-and-chelsea": {
        "idva": "standing-together",
        "outreach": "advance",
        "council": "tri-borough-council",
    },
    "havering": {
        "idva": "victim-support",
        "outreach": "havering-womens-aid",
        "council": "havering-council",
    },
}


def demo_uuid(key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, DEMO_NAMESPACE + key))


def seed(context: DemoContext) -> None:
    seeder = _Seeder(context)
    for slug, (borough, outcodes, languages) in BOROUGHS.items():
        providers = BOROUGH_PROVIDERS[slug]
        for index, (key, provider, name, description, taxonomy, extra) in enumerate(
            LOCAL_TEMPLATES
        ):
            seeder.local(
                key=f"{slug}/{key}",
                provider=providers.get(provider, provider),
                name=name.format(b=borough),
                description=description,
                taxonomy=taxonomy,
                area=slug,
                outcode=outcodes[index % len(outcodes)],
                extra={"languages": ["en", *languages[: index % 3 + 1]], **extra},
                age_days=STALE.get(f"{slug}/{key}", (index * 23) % 150),
            )
    for slug, key, provider, name, description, taxonomy, extra in SPECIALIST:
        borough, outcodes, _ = BOROUGHS[slug]
        providers = BOROUGH_PROVIDERS[slug]
        seeder.local(
            key=f"{slug}/{key}",
            provider=providers.get(provider, provider),
            name=f"{borough} {name}",
            description=description,
            taxonomy=taxonomy,
            area=slug,
            outcode=outcodes[0],
            extra=extra,
            age_days=40,
        )
    for key, provider, name, description, taxonomy, extra in LONDON_WIDE:
        seeder.local(
            key=f"london/{key}",
            provider=provider,
            name=name,
            description=description,
            taxonomy=taxonomy,
            area="london",
            outcode="WC2N",
            extra=extra,
            age_days=60,
        )
    for key, org, name, description, phone, taxonomy, schedules, extra in HELPLINES:
        seeder.helpline(key, org, name, description, phone, taxonomy, schedules, extra)
    seeder.stale_and_draft_examples()


class _Seeder:
    def __init__(self, context: DemoContext) -> None:
        self.context = context
        self.today = timezone.localdate()
        self.organisations: dict[str, object] = {}

    def organisation(self, provider: str, display_name: str = ""):
        if provider in self.organisations:
            return self.organisations[provider]
        agency = Agency.objects.filter(slug=provider).first()
        if provider in ORGANISATIONS:
            name, description = ORGANISATIONS[provider]
        elif agency is not None:
            name, description = agency.name, f"{agency.name} (a demo agency)."
        else:
            name, description = display_name or provider, f"{display_name}: national helpline."
        organisation, _ = organisation_upsert(
            acting_user=self.context.actor,
            organisation_id=demo_uuid(f"organisation/{provider}"),
            name=name,
            description=description,
            agency=agency,
        )
        self.organisations[provider] = organisation
        return organisation

    def local(self, *, key, provider, name, description, taxonomy, area, outcode, extra, age_days):
        extra = dict(extra)
        confidential = extra.pop("confidential", False)
        virtual = extra.pop("virtual", False)
        number = uuid.UUID(demo_uuid(key)).int % 1000
        data = {
            "name": name,
            "description": description,
            "taxonomy": taxonomy,
            "areas": [area],
            "phones": [
                {"number": f"020 7946 0{number:03d}", "description": "Synthetic demo number"}
            ],
            "schedules": extra.pop("schedules", OFFICE_HOURS),
            "locations": [self._location(key, name, outcode, confidential, virtual)],
            **extra,
        }
        self._upsert(key, provider, data, age_days)

    def helpline(self, key, org, name, description, phone, taxonomy, schedules, extra):
        data = {
            "name": name,
            "description": description,
            "taxonomy": taxonomy,
            "areas": ["national"],
            "phones": [{"number": phone, "description": "Free to call"}],
            "schedules": schedules,
            "locations": [],
            **extra,
        }
        self._upsert(f"national/{key}", org.lower().replace(" ", "-"), data, 10, org)

    def _location(self, key, name, outcode, confidential, virtual):
        latitude, longitude = outcode_centroids()[outcode]
        offset = (uuid.UUID(demo_uuid(key)).int % 100) / 20000
        if virtual:
            return {
                "id": demo_uuid(f"location/{key}"),
                "location_type": "virtual",
                "name": "By phone and online",
            }
        return {
            "id": demo_uuid(f"location/{key}"),
            "service_at_location_id": demo_uuid(f"service-at-location/{key}"),
            "location_type": "physical",
            "name": "Confidential address" if confidential else f"{name} base",
            "address_1": f"{10 + offset * 1000:.0f} Synthetic Street",
            "city": "London",
            "postal_code": f"{outcode} 9ZZ",
            "latitude": round(latitude + offset, 5),
            "longitude": round(longitude - offset, 5),
            "confidential": confidential,
        }

    def _upsert(self, key, provider, data, age_days, display_name=""):
        service_id = demo_uuid(f"service/{key}")
        if Service.objects.filter(pk=service_id).exists():
            return
        service_upsert(
            acting_user=self.context.actor,
            service_id=service_id,
            organisation=self.organisation(provider, display_name),
            data=data,
            last_checked=self.today - timedelta(days=age_days),
            publish=True,
        )

    def stale_and_draft_examples(self) -> None:
        """An editor's new service, waiting for an administrator to publish it."""
        agency = Agency.objects.filter(slug="havering-womens-aid").first()
        name = "Havering young women's mentoring (draft)"
        if agency and not Service.objects.filter(name=name).exists():
            service_create(
                acting_user=self.context.actor,
                agency=agency,
                data={
                    "name": name,
                    "description": "A new mentoring service for young women aged 16 to 25, "
                    "waiting to be published by the partnership.",
                    "taxonomy": ["st-children", "at-domestic-abuse", "pop-women", "pop-children"],
                    "areas": ["havering"],
                    "minimum_age": 16,
                    "maximum_age": 25,
                },
            )
