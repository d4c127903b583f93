"""Broad subjects of public policy, per language: what lets the merge see that "Blue Zones",
"wellness coaches" and "hospitals" are one theme though they share no word.

The subjects follow the major topics of the Comparative Agendas Project's codebook (health,
transport, housing, energy, environment, education, crime, …), split where a consultation's rooms
tell them apart (parking from roads, childcare from schools). Each subject lists the words that
name it in English, German and Bengali; an entry ending in "*" is a prefix (inflections,
compounds that start with it: "Hausarzt*" covers "Hausarztpraxen"). Entries are compared after
`language.normalise`, like the other word lists. A word may belong to two subjects ("nutrition":
health and food): it counts for both.

These lists are the merge's prior knowledge; `themes.py` adds what the meeting itself teaches
(words that keep company with these in its answers).
"""

from __future__ import annotations

import functools

from app.plenary import language

SUBJECTS: dict[str, str] = {
    "health": """
        health* healthcare medic* hospital* clinic* doctor* nurse* nursing patient* physician* wellness
        fitness nutrition* mental disease* illness* therap* pharma* prescri* vaccin* dental dentist*
        surger* surgeon* ambulance* cancer* diabet* obes* preventive preventative wellbeing
        gesund* krank* arzt* ärzt* hausarzt* hausärzt* klinik* pflege* notaufnahme* medizin* apothek*
        therapie* praxis praxen
        স্বাস্থ্য* হাসপাতাল* ডাক্তার* চিকিৎসা* চিকিৎসক* ক্লিনিক* ওষুধ* রোগ* নার্স* স্বাস্থ্যসেবা*
    """,
    "food": """
        food* foods grocer* restaurant* farm* produce fruit* vegetable* diet* meal* dining dine menu*
        organic garden* agricultur* supermarket* nutrition* bakery* chef* cuisine*
        lebensmittel* essen ernährung* landwirt* bauern* restaurant* supermarkt*
        খাদ্য* খাবার* কৃষি* ফসল* বাজার*
    """,
    "public transport": """
        transit* transport* bus buses busses train trains rail* railway* tram* trolley* metro* subway*
        commut* amtrak* hyperloop* airport* shuttle* passenger*
        nahverkehr* öpnv bus busse* bahn* zug züge straßenbahn* ticket* monatsticket* fahrplan*
        বাস ট্রেন* রেল* পরিবহন* যানবাহন*
    """,
    "roads and traffic": """
        road* street* traffic* highway* lane* lanes intersection* roundabout* stoplight* pothole*
        congestion* bypass* sidewalk* pedestrian* bike* bicycl* cycling cyclist* turns speed*
        straße* straßen* verkehr* tempo* tempolimit* radweg* fahrrad* umgehungsstraße* autobahn* stau
        রাস্তা* সড়ক* যানজট*
    """,
    "parking": """
        parking garage* carpark*
        parkplatz* parkplätz* parken parkhaus*
        পার্কিং*
    """,
    "housing": """
        housing house houses home homes homeless* apartment* condo* dwelling* rent rents rental* renter*
        residential landlord* mortgage* tenant*
        wohn* miet* haus häuser* leerstand* leerstehend* wohnung*
        বাসস্থান* আবাসন* বাড়ি* ঘরবাড়ি*
    """,
    "arts and culture": """
        art arts artist* museum* gallery galleries cultur* music* concert* theater* theatre* festival*
        perform* creative* painting* sculpture*
        kunst* künstler* kultur* museum* theater* musik* konzert*
        শিল্প* সংস্কৃতি* সঙ্গীত* জাদুঘর*
    """,
    "leisure and shopping": """
        entertain* nightlife* rink* mall malls shopping outlet* sport* sporting hockey* cinema*
        leisure* recreation*
        freizeit* einkauf* kino* sport* schwimmbad*
        বিনোদন* খেলা* খেলাধুলা*
    """,
    "green space and nature": """
        green park parks nature* tree* forest* wildlife* river* riverfront* canoe* kayak* rewild* trail*
        outdoor* greenway* biodivers* native
        natur* naturschutz* wald* grün* baum* bäume* park parks stadtwald*
        গাছ* বন* সবুজ* পার্ক*
    """,
    "water and waste": """
        water* sewage* wastewater* waste recycl* litter* garbage* trash* pollut* drinking
        wasser* abwasser* müll* abfall* recycling*
        পানি* জল* নদী* বর্জ্য* দূষণ* পানীয়*
    """,
    "energy": """
        energ* solar* wind* power* electric* photovolt* renewabl* coal* nuclear*
        energie* bürgerenergie* solar* solaranlage* photovoltaik* wind* windr* strom* solarstrom*
        সৌর* বিদ্যুৎ* জ্বালানি*
    """,
    "climate": """
        climat* carbon* emission* co2 decarbon*
        klima* klimaschutz* klimaneutral* emission* co2
        জলবায়ু* কার্বন*
    """,
    "schools and education": """
        school* schools educat* teach* student* pupil* universit* college* tuition* classroom*
        schul* schüler* bildung* lehrer* ausbild* auszubild* universität* hochschul*
        স্কুল* শিক্ষা* বিদ্যালয়* ছাত্র* শিক্ষক*
    """,
    "childcare": """
        childcare* daycare* daycares prek preschool* kindergart* nanny nannies babysit*
        kita* kitas kindergarten* kinderbetreuung* tagesmutter*
        শিশুযত্ন* দিবাযত্ন*
    """,
    "taxes and public money": """
        tax taxes taxed taxation taxing budget* revenue* fiscal* levy levies
        steuer* abgabe* besteuer* haushalt*
        কর রাজস্ব* বাজেট*
    """,
    "crime and safety": """
        police policing sheriff* officer* crime* criminal* safety safe security prosecut* court* justice*
        offence* offense* violence* theft*
        polizei* sicherheit* kriminal* straftat* gericht*
        পুলিশ* নিরাপত্তা* অপরাধ* আদালত*
    """,
    "borders": """
        border* customs frontier*
        grenz* zoll*
        সীমান্ত*
    """,
    "jobs and economy": """
        job jobs employ* business* econom* industr* wage* salary salaries compan* entrepreneur* startup*
        touris* workforce* workplace* manufactur*
        arbeit* job jobs wirtschaft* unternehm* lohn* löhne* betrieb* tourismus*
        চাকরি* কর্মসংস্থান* ব্যবসা* অর্থনীতি* শিল্পকারখানা* কারখানা*
    """,
    "identity and reputation": """
        identity* brand* branding hospitality* heritage* character reputation* famous* known
        identität* ruf image heimat*
        পরিচয়* ঐতিহ্য*
    """,
    "who takes part": """
        female male woman women man men gender* nonbinary lifelong resident residents renter homeowner*
        frau frauen mann männer geschlecht*
        নারী* পুরুষ* মহিলা*
    """,
    "government and services": """
        government* council* administrat* bureaucra* paperwork permit* office* online digital* vote* voting
        election* referendum*
        verwaltung* amt ämter* ämtern behörde* antrag* anträge* homeoffice* online digital* wahl*
        সরকার* প্রশাসন* অনলাইন* ভোট* নির্বাচন*
    """,
    "land use and growth": """
        development developments developer* zoning* sprawl* infill* density land
        bebauung* bauland* flächen* zersiedel*
        জমি* নগরায়ন*
    """,
    "welfare and poverty": """
        poverty* poor welfare* benefit* income* pension* hunger* homelessness
        armut* sozial* rente* grundsicherung* bürgergeld*
        দারিদ্র্য* ভাতা*
    """,
    "tobacco, alcohol and drugs": """
        smok* vape* vaping tobacco* alcohol* drug* cannabis* marijuana* liquor* cigarett*
        rauch* tabak* alkohol* droge* drogen* zigarett*
        ধূমপান* তামাক* মাদক*
    """,
}


@functools.cache
def _entries() -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]]]:
    """Whole words and prefixes of every subject, each with the subjects it names."""
    whole: dict[str, set[int]] = {}
    prefixes: dict[str, set[int]] = {}
    for number, listing in enumerate(SUBJECTS.values()):
        for entry in listing.split():
            target = prefixes if entry.endswith("*") else whole
            for word in language.normalise(entry.rstrip("*")).split():
                target.setdefault(word, set()).add(number)
    return (
        {word: frozenset(numbers) for word, numbers in whole.items()},
        {prefix: frozenset(numbers) for prefix, numbers in prefixes.items()},
    )


def subject_names() -> tuple[str, ...]:
    return tuple(SUBJECTS)


@functools.lru_cache(maxsize=65_536)
def subjects_of(word: str) -> frozenset[int]:
    """The subjects a normalised word names (numbers into `subject_names()`), none for most words."""
    whole, prefixes = _entries()
    found = set(whole.get(word, ()))
    for end in range(1, len(word) + 1):
        found.update(prefixes.get(word[:end], ()))
    return frozenset(found)


def forget_subjects() -> None:
    """Drop the subjects found for each word (`subjects_of`)."""
    subjects_of.cache_clear()
