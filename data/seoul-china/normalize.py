#!/usr/bin/env python3
"""Builds the canonical registry files of the Seoul–China reference dataset from original/.

Reads  original/{events,mayors,partner_cities,memberships}.csv (the shelf files, unchanged)
Writes cities.csv, organizations.csv, partner_relations.csv, memberships.csv, officials.csv,
       mechanisms.csv, events.csv (the canonical columns of `citydip import`) and the row-by-row
       part of CHANGES.md.

Every rule below is listed in CHANGES.md. No fact is changed: cells are re-spelled (country names
become ISO3 codes, "a;b" becomes "a; b"), split into the right columns, and text that no column
can hold is kept in the event's notes. Run from anywhere: python3 data/seoul-china/normalize.py
"""
import csv
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ORIGINAL = os.path.join(HERE, "original")

# --------------------------------------------------------------------------------------------
# Cities and provinces named in the original files.
# name_ko origin: "data" = the Korean form appears in a title_ko cell of events.csv;
# "exonym" = the standard Korean exonym (National Institute of Korean Language transcription),
# not shown in the data. kind: municipality for China's province-level cities (partner_cities.csv
# says "(municipality)"), province for provinces and autonomous regions.
CITIES = [
    # name_en, name_ko, name_ko origin, country, kind
    ("Seoul", "서울", "data", "KOR", "city"),
    ("Tokyo", "도쿄", "data", "JPN", "city"),
    ("Beijing", "베이징", "data", "CHN", "municipality"),
    ("Shanghai", "상하이", "data", "CHN", "municipality"),
    ("Tianjin", "톈진", "data", "CHN", "municipality"),
    ("Chongqing", "충칭", "data", "CHN", "municipality"),
    ("Shandong", "산둥성", "data", "CHN", "province"),
    ("Jiangsu", "장쑤성", "data", "CHN", "province"),
    ("Guangdong", "광둥성", "data", "CHN", "province"),
    ("Zhejiang", "저장성", "data", "CHN", "province"),
    ("Sichuan", "쓰촨성", "data", "CHN", "province"),
    ("Guizhou", "구이저우성", "data", "CHN", "province"),
    ("Hunan", "후난성", "exonym", "CHN", "province"),
    ("Jilin", "지린성", "exonym", "CHN", "province"),
    ("Henan", "허난성", "exonym", "CHN", "province"),
    ("Yunnan", "윈난성", "exonym", "CHN", "province"),
    ("Shaanxi", "산시성", "exonym", "CHN", "province"),
    ("Tibet", "티베트 자치구", "exonym", "CHN", "province"),
    ("Jiangxi", "장시성", "exonym", "CHN", "province"),
    ("Liaoning", "랴오닝성", "exonym", "CHN", "province"),
    ("Heilongjiang", "헤이룽장성", "exonym", "CHN", "province"),
    ("Xinjiang", "신장 위구르 자치구", "exonym", "CHN", "province"),
    ("Guangzhou", "광저우", "data", "CHN", "city"),
    ("Chengdu", "청두", "data", "CHN", "city"),
    ("Hangzhou", "항저우", "exonym", "CHN", "city"),
    ("Qingdao", "칭다오", "data", "CHN", "city"),
    ("Wuhan", "우한", "data", "CHN", "city"),
    ("Jinan", "지난", "data", "CHN", "city"),
    ("Nanjing", "난징", "exonym", "CHN", "city"),
    ("Shenzhen", "선전", "exonym", "CHN", "city"),
    ("Guiyang", "구이양", "exonym", "CHN", "city"),
    ("Hong Kong", "홍콩", "exonym", "CHN", "city"),
]
COUNTRY_OF = {name: country for name, _, _, country, _ in CITIES}

# Original city cells that are spelled differently from the canonical name.
CITY_RENAMES = {
    "Shandong Province": "Shandong",
    "Jiangsu Province": "Jiangsu",
    "Guangdong Province": "Guangdong",
    "Zhejiang Province": "Zhejiang",
    "Sichuan Province": "Sichuan",
    "Guizhou Province": "Guizhou",
    "Hunan Province": "Hunan",
    "Hangzhou (Zhejiang)": "Hangzhou",
    "Chengdu (Sichuan)": "Chengdu",
    "Beijing and 15 other Chinese cities": "Beijing",
    "Chongqing and 10 other cities": "Chongqing",
}

COUNTRY_CODES = {"China": "CHN", "Japan": "JPN", "South Korea": "KOR", "Korea": "KOR"}

# --------------------------------------------------------------------------------------------
# Organizations: original spelling -> (name, acronym). "ACRONYM (Full Name)" in memberships.csv
# is split into name and acronym; the short forms used in events.csv map to the same name.
ORG_NAMES = {
    "BeSeTo (Beijing-Seoul-Tokyo cooperation)": ("Beijing-Seoul-Tokyo cooperation", "BeSeTo"),
    "BeSeTo": ("Beijing-Seoul-Tokyo cooperation", "BeSeTo"),
    "WeGO (World Smart Sustainable Cities Organization)":
        ("World Smart Sustainable Cities Organization", "WeGO"),
    "WeGO": ("World Smart Sustainable Cities Organization", "WeGO"),
    "ANMC21 (Asian Network of Major Cities 21)": ("Asian Network of Major Cities 21", "ANMC21"),
}
# Kind of every organization (assigned here; the original files have no kind column).
ORG_KINDS = {
    "Beijing-Seoul-Tokyo cooperation": "platform",
    "Metropolis": "city_network",
    "World Smart Sustainable Cities Organization": "city_network",
    "CityNet": "city_network",
    "ICLEI": "city_network",
    "World Mayors Council on Climate Change (ICLEI-linked)": "association",
    "C40 Cities": "city_network",
    "UCLG": "city_network",
    "Asian Network of Major Cities 21": "city_network",
    "World Cities Culture Forum": "forum",
    "World Capital Mayors' Conference (Tokyo)": "forum",
    "BeSeTo Theatre Festival": "event",
    "2008 Beijing Olympic Games": "event",
    "Expo 2010 Shanghai": "event",
    "21st Century Council": "other",
    "Northeast Asia Forum on Air Quality Improvement": "forum",
    "Korea-China Governors' Meeting (GAOK-CPAFFC)": "forum",
    "Seoul International Forum on Air Quality Improvement": "forum",
    "Asia Culture and Tourism Exhibition": "event",
    "China-Japan-Korea local legislatures roundtable (Jiangsu)": "forum",
}

MECHANISM = "Seoul-Beijing Integration Council"

# --------------------------------------------------------------------------------------------
# Officials: sources of the terms, from SOURCES.md, section "Sources for mayors' terms". The
# list of all mayors (namu-wiki mirror) is the source SOURCES.md gives for the full list, so every
# mayor carries it last.
MAYOR_LIST = ("https://mir.pe/wiki/%EC%84%9C%EC%9A%B8%ED%8A%B9%EB%B3%84%EC%8B%9C%EC%9E%A5")
TERM_SOURCES = {
    "Lee Sang-bae": [],
    "Kim Sang-chul": ["https://www.hankookilbo.com/News/Read/199303050054282797",
                      "https://www.seoul.co.kr/news/1993/03/05/19930305023002"],
    "Lee Won-jong": ["https://www.seoul.co.kr/news/1994/10/22/19941022001003"],
    "Woo Myung-gyu": ["https://www.seoul.co.kr/news/1994/10/22/19941022001003",
                      "https://www.hankookilbo.com/News/Read/199411020019742848"],
    "Choi Byung-ryul": ["https://m.seoul.co.kr/news/1994/11/03/19941103001001",
                        "https://www.imaeil.com/page/view/1994110300395329114"],
    "Cho Soon": ["https://www.donga.com/news/article/all/19970910/7283405/1"],
    "Kang Duk-ki": ["https://www.joongang.co.kr/article/3660509",
                    "https://www.hankyung.com/society/article/1997081200181"],
    "Goh Kun": ["https://www.asiae.co.kr/article/2021032211034771880"],
    "Lee Myung-bak": ["https://www.asiae.co.kr/article/2021032211034771880"],
    "Oh Se-hoon (1st tenure)": ["https://www.asiae.co.kr/article/2021032211034771880",
                                "https://m.ajunews.com/amp/20110826000244"],
    "Kwon Young-kyu": ["https://m.ajunews.com/amp/20110826000244",
                       "https://www.newdaily.co.kr/site/data/html/2011/10/28/2011102800016.html"],
    "Park Won-soon": ["https://www.asiae.co.kr/article/2021032211034771880",
                      "https://www.newdaily.co.kr/site/data/html/2011/10/28/2011102800016.html"],
    "Seo Jung-hyup": ["https://m.ajunews.com/amp/20200917081506226",
                      "http://kpenews.com/View.aspx?No=909221"],
    "Oh Se-hoon (2nd tenure)": [],
}

COLUMNS = {
    "cities": "name_en,name_ko,name_zh,country,kind,lat,lon,wikidata_id,source_url",
    "partner_relations": "city_a,country_a,city_b,country_b,relation,since,until,status,source_url",
    "organizations": "name,acronym,kind,secretariat_city,secretariat_country,founded,source_url",
    "memberships": "city,country,organization,role,since,until,source_url",
    "officials": "name_en,name_ko,city,country,office,acting,term_start,term_end,source_url,"
                 "visit_partner,visit_claim,visit_source_url",
    "mechanisms": "name_en,name_ko,cities,countries,founded,ended,fields,source_url",
    "events": "id,date,home_city,home_country,partner_city,partner_country,direction,event_type,"
              "framework,mode,level,topics,organization,mechanism,status,officials,stakeholders,"
              "title_en,title_ko,notes,verified,source_url",
}


def read(name):
    with open(os.path.join(ORIGINAL, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def split(cell):
    return [part.strip() for part in cell.split(";") if part.strip()]


def join(values):
    return "; ".join(values)


def city(name):
    canonical = CITY_RENAMES.get(name, name)
    if canonical not in COUNTRY_OF:
        raise SystemExit(f"unknown city {name!r}: add it to CITIES")
    return canonical


def org(name):
    return ORG_NAMES.get(name, (name, ""))[0]


def write(kind, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS[kind].split(","))
    for row in rows:
        writer.writerow(row)
    with open(os.path.join(HERE, kind + ".csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


def main():
    events = read("events.csv")
    mayors = read("mayors.csv")
    partners = read("partner_cities.csv")
    memberships = read("memberships.csv")
    changes = []  # (file, row id, change)

    # First source list naming each city / organization (partner_cities, memberships, events).
    city_sources = {}
    org_sources = {}
    for row in partners:
        city_sources.setdefault("Seoul", split(row["source_url"]))
        city_sources.setdefault(city(row["city"]), split(row["source_url"]))
    for row in memberships:
        city_sources.setdefault(city(row["city"]), split(row["source_url"]))
        org_sources.setdefault(org(row["organization"]), split(row["source_url"]))
    for row in events:
        for name in [row["home_city"]] + split(row["partner_city"]):
            city_sources.setdefault(city(name), split(row["source_url"]))
        if row["organization"] and row["organization"] != MECHANISM:
            org_sources.setdefault(org(row["organization"]), split(row["source_url"]))

    # cities.csv
    rows = []
    for name, name_ko, _, country, kind in CITIES:
        if name not in city_sources:
            raise SystemExit(f"city {name!r} is named nowhere")
        rows.append([name, name_ko, "", country, kind, "", "", "", join(city_sources[name])])
    if len(rows) != len(city_sources):
        raise SystemExit("CITIES and the named cities differ")
    write("cities", rows)

    # organizations.csv, in the order they are first named
    rows = []
    for name, sources in org_sources.items():
        acronym = next((a for n, a in ORG_NAMES.values() if n == name), "")
        rows.append([name, acronym, ORG_KINDS[name], "", "", "", join(sources)])
    write("organizations", rows)

    # partner_relations.csv
    rows = []
    for row in partners:
        name = city(row["city"])
        if name != row["city"]:
            changes.append(("partner_cities.csv", row["city"], f"city '{row['city']}' → '{name}'"))
        rows.append(["Seoul", "KOR", name, COUNTRY_CODES[row["country"]], row["relation"],
                     row["since"], "", "active", join(split(row["source_url"]))])
    write("partner_relations", rows)

    # memberships.csv
    rows = []
    for number, row in enumerate(memberships, start=2):
        name = city(row["city"])
        organization = org(row["organization"])
        if name != row["city"]:
            changes.append(("memberships.csv", f"line {number}",
                            f"city '{row['city']}' → '{name}'"))
        if organization != row["organization"]:
            changes.append(("memberships.csv", f"line {number}",
                            f"organization '{row['organization']}' → '{organization}'"))
        rows.append([name, COUNTRY_OF[name], organization, row["role"], row["since"],
                     row["until"], join(split(row["source_url"]))])
    write("memberships", rows)

    # officials.csv
    rows = []
    for row in mayors:
        name_en = row["name_en"]
        acting = name_en.endswith(" (acting)")
        if acting:
            name_en = name_en[: -len(" (acting)")]
            changes.append(("mayors.csv", row["name_en"],
                            f"name_en '{row['name_en']}' → '{name_en}', acting = true"))
        sources = TERM_SOURCES[name_en] + [MAYOR_LIST]
        rows.append([name_en, row["name_ko"], "Seoul", "KOR", "mayor",
                     "true" if acting else "false", row["term_start"], row["term_end"],
                     join(sources), "Beijing", row["visited_beijing_in_office"],
                     join(split(row["visit_source_url"]))])
    write("officials", rows)

    # mechanisms.csv: the council, with the sources of its founding MOU (E024) and of its
    # environment team (E046, first source)
    by_id = {row["id"]: row for row in events}
    mechanism_sources = split(by_id["E024"]["source_url"]) + split(by_id["E046"]["source_url"])[:1]
    write("mechanisms", [[MECHANISM, "서울-베이징 통합위원회", "Seoul; Beijing", "KOR; CHN", "2013",
                          "", "economy; culture; education; environment",
                          join(mechanism_sources)]])

    # events.csv
    rows = []
    for row in events:
        names = [city(name) for name in split(row["partner_city"])]
        countries = [COUNTRY_CODES[c] for c in split(row["partner_country"])]
        notes = []
        original = row["partner_city"]
        if "(" in original or " and " in original:
            notes.append(f"partner_city in the source file: '{original}'")
            changes.append(("events.csv", row["id"],
                            f"partner_city '{original}' → '{join(names)}' (original kept in "
                            f"notes)"))
        elif join(names) != original:
            changes.append(("events.csv", row["id"],
                            f"partner_city '{original}' → '{join(names)}'"))
        if not names:
            notes.append(f"no partner city named; partner_country in the source file: "
                         f"'{row['partner_country']}'")
            changes.append(("events.csv", row["id"],
                            f"partner_country '{row['partner_country']}' → '' (no partner city; "
                            f"kept in notes)"))
            countries = []
        organization = row["organization"]
        mechanism = ""
        if organization == MECHANISM:
            organization, mechanism = "", MECHANISM
            changes.append(("events.csv", row["id"],
                            f"organization '{MECHANISM}' moved to the mechanism column"))
        elif organization:
            organization = org(organization)
            if organization != row["organization"]:
                changes.append(("events.csv", row["id"],
                                f"organization '{row['organization']}' → '{organization}'"))
        rows.append([row["id"], row["date"], row["home_city"], COUNTRY_OF[row["home_city"]],
                     join(names), join(countries), row["direction"], row["event_type"],
                     row["framework"], row["mode"], row["level"], join(split(row["topics"])),
                     organization, mechanism, "held", "", "", row["title_en"], row["title_ko"],
                     "; ".join(notes), "true", join(split(row["source_url"]))])
    write("events", rows)

    # The generated part of CHANGES.md, between its markers.
    generated = ["| original file | row | change |", "|---|---|---|"]
    generated += [f"| {file} | {row_id} | {change} |" for file, row_id, change in changes]
    generated += ["", "| city | name_ko | name_ko taken from | country | kind |",
                  "|---|---|---|---|---|"]
    for name, name_ko, origin, country, kind in CITIES:
        source = "a title_ko cell of events.csv" if origin == "data" else "standard Korean exonym"
        generated.append(f"| {name} | {name_ko} | {source} | {country} | {kind} |")
    path = os.path.join(HERE, "CHANGES.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    begin, end = "<!-- generated:begin -->\n", "<!-- generated:end -->"
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + begin + "\n".join(generated) + "\n" + end + tail)


if __name__ == "__main__":
    main()
