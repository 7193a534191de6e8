#!/usr/bin/env python3
# SYNTHETIC DATA GENERATOR (labelled synthetic): writes made-up rows in the GDELT 1.0/2.0 event
# export format for benchmarks only; nothing it writes is real GDELT data. Copied unchanged
# (apart from these four comment lines) from the team shelf ../shared/bench/gen_gdelt.py; see
# bench/README-gdelt.md for its provenance.
"""Deterministic generator of synthetic GDELT event-export rows (python3 stdlib only).

Output is tab-separated, no header, '\n' line ends, ASCII only, like the real
files.  Schema:
  --format v2 (default): GDELT 2.0 15-minute "export" files, 61 columns
                          (DATEADDED = YYYYMMDDHHMMSS, 3 *Geo_ADM2Code columns).
  --format v1           : GDELT 1.0 daily "export" files, 58 columns
                          (57 + SOURCEURL; no ADM2 columns; DATEADDED = YYYYMMDD).

Same --seed and same options => byte-identical output (also with --jobs > 1:
every 15-minute interval has its own RNG stream and its own precomputed
GLOBALEVENTID range).

Examples
  # 1000 rows to stdout
  gen_gdelt.py --rows 1000
  # ~50 MB into one file
  gen_gdelt.py --bytes 50000000 -o /tmp/x.csv
  # 30 days, one plain CSV per day (GDELT-1.0-style names), 2 processes
  gen_gdelt.py --days 30 --split day --outdir /tmp/gdeltbench/days_csv --jobs 2
  # 30 zipped 15-minute files of 1..10 MB each (one .CSV inside each .zip)
  gen_gdelt.py --intervals 30 --interval-rows 3000:27000 --split 15min --zip \
               --outdir /tmp/gdeltbench/zip15
"""
import argparse
import datetime as dt
import math
import os
import random
import sys
import zipfile

V2_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID "
    "DATEADDED SOURCEURL"
).split()
assert len(V2_COLUMNS) == 61
V1_COLUMNS = [c for c in V2_COLUMNS if not c.endswith("_ADM2Code")]
assert len(V1_COLUMNS) == 58

# CAMEO event code -> Goldstein scale (GDELT lookup CAMEO.goldsteinscale.txt).
_GOLDSTEIN_TXT = """
01 0.0 010 0.0 011 -0.1 012 -0.4 013 0.4 014 0.0 015 0.0 016 -2.0 017 0.0 018 3.4 019 3.4
02 3.0 020 3.0 021 3.4 0211 3.4 0212 3.4 0213 3.4 0214 3.4 022 3.2 023 3.4 0231 3.4 0232 3.4
0233 3.4 0234 3.4 024 -0.3 0241 -0.3 0242 -0.3 0243 -0.3 0244 -0.3 025 -0.3 0251 -0.3
0252 -0.3 0253 -0.3 0254 -0.3 0255 -0.3 0256 -0.3 026 4.0 027 4.0 028 4.0
03 4.0 030 4.0 031 5.2 0311 5.2 0312 5.2 0313 5.2 0314 5.2 032 4.5 033 5.2 0331 5.2 0332 5.2
0333 5.2 0334 6.0 034 7.0 0341 7.0 0342 7.0 0343 7.0 0344 7.0 035 7.0 0351 7.0 0352 7.0
0353 7.0 0354 7.0 0355 7.0 0356 7.0 036 4.0 037 5.0 038 7.0 039 5.0
04 1.0 040 1.0 041 1.0 042 1.9 043 2.8 044 2.5 045 5.0 046 7.0
05 3.5 050 3.5 051 3.4 052 3.5 053 3.8 054 6.0 055 7.0 056 7.0 057 8.0
06 6.0 060 6.0 061 6.4 062 7.4 063 7.4 064 7.0
07 7.0 070 7.0 071 7.4 072 8.3 073 7.4 074 8.5 075 7.0
08 5.0 080 5.0 081 5.0 0811 5.0 0812 5.0 0813 5.0 0814 5.0 082 5.0 083 5.0 0831 5.0 0832 5.0
0833 5.0 0834 5.0 084 7.0 0841 7.0 0842 7.0 085 7.0 086 9.0 0861 9.0 0862 9.0 0863 9.0
087 9.0 0871 9.0 0872 9.0 0873 9.0 0874 10.0
09 -2.0 090 -2.0 091 -2.0 092 -2.0 093 -2.0 094 -2.0
10 -5.0 100 -5.0 101 -5.0 1011 -5.0 1012 -5.0 1013 -5.0 1014 -5.0 102 -5.0 103 -5.0
1031 -5.0 1032 -5.0 1033 -5.0 1034 -5.0 104 -5.0 1041 -5.0 1042 -5.0 1043 -5.0 1044 -5.0
105 -5.0 1051 -5.0 1052 -5.0 1053 -5.0 1054 -5.0 1055 -5.0 1056 -5.0 106 -5.0 107 -5.0 108 -5.0
11 -2.0 110 -2.0 111 -2.0 112 -2.0 1121 -2.0 1122 -2.0 1123 -2.0 1124 -2.0 1125 -2.0
113 -2.0 114 -2.0 115 -2.0 116 -2.0
12 -4.0 120 -4.0 121 -4.0 1211 -4.0 1212 -4.0 122 -4.0 1221 -4.0 1222 -4.0 1223 -4.0
1224 -4.0 123 -4.0 1231 -4.0 1232 -4.0 1233 -4.0 1234 -4.0 124 -4.0 1241 -4.0 1242 -4.0
1243 -4.0 1244 -4.0 1245 -4.0 1246 -4.0 125 -5.0 126 -5.0 127 -5.0 128 -5.0 129 -5.0
13 -6.0 130 -4.4 131 -5.8 1311 -5.8 1312 -5.8 1313 -5.8 132 -5.8 1321 -5.8 1322 -5.8
1323 -5.8 1324 -5.8 133 -5.8 134 -5.8 135 -5.8 136 -7.0 137 -7.0 138 -7.0 1381 -7.0
1382 -7.0 1383 -7.0 1384 -7.0 1385 -7.0 139 -7.0
14 -6.5 140 -6.5 141 -6.5 1411 -6.5 1412 -6.5 1413 -6.5 1414 -6.5 142 -6.5 1421 -6.5
1422 -6.5 1423 -6.5 1424 -6.5 143 -6.5 1431 -6.5 1432 -6.5 1433 -6.5 1434 -6.5 144 -7.5
1441 -7.5 1442 -7.5 1443 -7.5 1444 -7.5 145 -7.5 1451 -7.5 1452 -7.5 1453 -7.5 1454 -7.5
15 -7.2 150 -7.2 151 -7.2 152 -7.2 153 -7.2 154 -7.2
16 -4.0 160 -4.0 161 -4.0 162 -5.6 1621 -5.6 1622 -5.6 1623 -5.6 163 -8.0 164 -7.0 165 -6.5
166 -7.0 1661 -7.0 1662 -7.0 1663 -7.0
17 -7.0 170 -7.0 171 -9.2 1711 -9.2 1712 -9.2 172 -5.0 1721 -5.0 1722 -5.0 1723 -5.0
1724 -5.0 173 -5.0 174 -5.0 175 -9.0
18 -9.0 180 -9.0 181 -9.0 182 -9.5 1821 -9.0 1822 -9.0 1823 -10.0 183 -10.0 1831 -10.0
1832 -10.0 1833 -10.0 184 -8.0 185 -8.0 186 -10.0
19 -10.0 190 -10.0 191 -9.5 192 -9.5 193 -10.0 194 -10.0 195 -10.0 196 -9.5
20 -10.0 200 -10.0 201 -9.5 202 -10.0 203 -10.0 204 -10.0 2041 -10.0 2042 -10.0
"""
_tok = _GOLDSTEIN_TXT.split()
GOLDSTEIN = {_tok[i]: float(_tok[i + 1]) for i in range(0, len(_tok), 2)}

# Share of events per CAMEO root code (roughly GDELT-2.0-like: 04 consult and
# 01 statements dominate, 19 fight / 17 coerce / 18 assault are the big conflict roots).
ROOT_WEIGHTS = {
    "01": 14.0, "02": 6.0, "03": 6.0, "04": 22.0, "05": 8.0, "06": 2.0, "07": 2.5,
    "08": 2.0, "09": 1.5, "10": 1.5, "11": 5.0, "12": 2.0, "13": 2.0, "14": 2.0,
    "15": 0.8, "16": 1.5, "17": 7.0, "18": 4.0, "19": 6.0, "20": 0.3,
}


def quad_class(root):
    r = int(root)
    if r <= 5:
        return 1  # verbal cooperation
    if r <= 8:
        return 2  # material cooperation
    if r <= 13:
        return 3  # verbal conflict
    return 4      # material conflict


# CAMEO country code, actor name, FIPS 10-4 code, geo full name, lat, lon,
# weight (share of country-coded actors, %), city actor names.
COUNTRIES = [
    ("USA", "UNITED STATES", "US", "United States", 39.8282, -98.5795, 22.0,
     ["WASHINGTON", "NEW YORK", "CALIFORNIA", "TEXAS", "CHICAGO", "LOS ANGELES"]),
    ("GBR", "UNITED KINGDOM", "UK", "United Kingdom", 54.0, -2.0, 4.5, ["LONDON", "BRITISH"]),
    ("RUS", "RUSSIA", "RS", "Russia", 60.0, 100.0, 4.0, ["MOSCOW", "KREMLIN"]),
    ("CHN", "CHINA", "CH", "China", 35.0, 105.0, 3.0, ["BEIJING", "SHANGHAI", "SHENZHEN"]),
    ("KOR", "SOUTH KOREA", "KS", "South Korea", 37.0, 127.5, 2.2, ["SEOUL", "BUSAN", "INCHEON"]),
    ("PRK", "NORTH KOREA", "KN", "North Korea", 40.0, 127.0, 0.8, ["PYONGYANG"]),
    ("JPN", "JAPAN", "JA", "Japan", 36.0, 138.0, 1.5, ["TOKYO", "OSAKA"]),
    ("IND", "INDIA", "IN", "India", 20.0, 77.0, 3.5, ["NEW DELHI", "MUMBAI", "KASHMIR"]),
    ("PAK", "PAKISTAN", "PK", "Pakistan", 30.0, 70.0, 1.5, ["ISLAMABAD", "KARACHI"]),
    ("AUS", "AUSTRALIA", "AS", "Australia", -25.0, 135.0, 2.5, ["SYDNEY", "CANBERRA", "MELBOURNE"]),
    ("CAN", "CANADA", "CA", "Canada", 60.0, -95.0, 2.0, ["OTTAWA", "TORONTO"]),
    ("FRA", "FRANCE", "FR", "France", 46.0, 2.0, 1.8, ["PARIS"]),
    ("DEU", "GERMANY", "GM", "Germany", 51.0, 9.0, 1.5, ["BERLIN"]),
    ("ISR", "ISRAEL", "IS", "Israel", 31.5, 34.75, 2.5, ["JERUSALEM", "TEL AVIV"]),
    ("PSE", "PALESTINE", "WE", "West Bank", 32.0, 35.25, 1.0, ["GAZA", "RAMALLAH"]),
    ("IRN", "IRAN", "IR", "Iran", 32.0, 53.0, 2.0, ["TEHRAN"]),
    ("IRQ", "IRAQ", "IZ", "Iraq", 33.0, 44.0, 1.2, ["BAGHDAD"]),
    ("SYR", "SYRIA", "SY", "Syria", 35.0, 38.0, 1.2, ["DAMASCUS", "ALEPPO"]),
    ("AFG", "AFGHANISTAN", "AF", "Afghanistan", 33.0, 65.0, 1.0, ["KABUL"]),
    ("SAU", "SAUDI ARABIA", "SA", "Saudi Arabia", 25.0, 45.0, 1.0, ["RIYADH"]),
    ("TUR", "TURKEY", "TU", "Turkey", 39.0, 35.0, 1.5, ["ANKARA", "ISTANBUL"]),
    ("EGY", "EGYPT", "EG", "Egypt", 27.0, 30.0, 0.8, ["CAIRO"]),
    ("NGA", "NIGERIA", "NI", "Nigeria", 10.0, 8.0, 1.5, ["ABUJA", "LAGOS"]),
    ("ZAF", "SOUTH AFRICA", "SF", "South Africa", -29.0, 24.0, 1.0, ["JOHANNESBURG", "CAPE TOWN"]),
    ("KEN", "KENYA", "KE", "Kenya", 1.0, 38.0, 0.8, ["NAIROBI"]),
    ("UKR", "UKRAINE", "UP", "Ukraine", 49.0, 32.0, 2.5, ["KIEV", "KHARKIV"]),
    ("MEX", "MEXICO", "MX", "Mexico", 23.0, -102.0, 1.0, ["MEXICO CITY"]),
    ("BRA", "BRAZIL", "BR", "Brazil", -10.0, -55.0, 0.8, ["BRASILIA", "RIO DE JANEIRO"]),
    ("PHL", "PHILIPPINES", "RP", "Philippines", 13.0, 122.0, 1.0, ["MANILA"]),
    ("IDN", "INDONESIA", "ID", "Indonesia", -5.0, 120.0, 0.6, ["JAKARTA"]),
    ("MYS", "MALAYSIA", "MY", "Malaysia", 2.5, 112.5, 0.6, ["KUALA LUMPUR"]),
    ("TWN", "TAIWAN", "TW", "Taiwan", 23.5, 121.0, 0.6, ["TAIPEI"]),
    ("HKG", "HONG KONG", "HK", "Hong Kong", 22.25, 114.1667, 0.5, []),
    ("VNM", "VIETNAM", "VM", "Vietnam", 16.1667, 107.8333, 0.4, ["HANOI"]),
    ("ITA", "ITALY", "IT", "Italy", 42.8333, 12.8333, 0.9, ["ROME"]),
    ("ESP", "SPAIN", "SP", "Spain", 40.0, -4.0, 0.6, ["MADRID"]),
    ("POL", "POLAND", "PL", "Poland", 52.0, 20.0, 0.4, ["WARSAW"]),
    ("IRL", "IRELAND", "EI", "Ireland", 53.0, -8.0, 0.5, ["DUBLIN"]),
    ("NZL", "NEW ZEALAND", "NZ", "New Zealand", -42.0, 174.0, 0.5, ["WELLINGTON"]),
    ("ARE", "UNITED ARAB EMIRATES", "AE", "United Arab Emirates", 24.0, 54.0, 0.5, ["DUBAI"]),
    ("QAT", "QATAR", "QA", "Qatar", 25.5, 51.25, 0.4, ["DOHA"]),
    ("LBN", "LEBANON", "LE", "Lebanon", 33.8333, 35.8333, 0.5, ["BEIRUT"]),
    ("YEM", "YEMEN", "YM", "Yemen", 15.0, 48.0, 0.5, ["SANAA"]),
    ("LBY", "LIBYA", "LY", "Libya", 25.0, 17.0, 0.4, ["TRIPOLI"]),
    ("SDN", "SUDAN", "SU", "Sudan", 15.0, 30.0, 0.4, ["KHARTOUM"]),
    ("ETH", "ETHIOPIA", "ET", "Ethiopia", 8.0, 38.0, 0.3, ["ADDIS ABABA"]),
    ("SOM", "SOMALIA", "SO", "Somalia", 6.0, 48.0, 0.3, ["MOGADISHU"]),
    ("VEN", "VENEZUELA", "VE", "Venezuela", 8.0, -66.0, 0.4, ["CARACAS"]),
    ("COL", "COLOMBIA", "CO", "Colombia", 4.0, -72.0, 0.3, ["BOGOTA"]),
    ("ARG", "ARGENTINA", "AR", "Argentina", -34.0, -64.0, 0.3, ["BUENOS AIRES"]),
    ("BGD", "BANGLADESH", "BG", "Bangladesh", 24.0, 90.0, 0.4, ["DHAKA"]),
    ("LKA", "SRI LANKA", "CE", "Sri Lanka", 7.0, 81.0, 0.3, ["COLOMBO"]),
    ("THA", "THAILAND", "TH", "Thailand", 15.0, 100.0, 0.4, ["BANGKOK"]),
    ("SGP", "SINGAPORE", "SN", "Singapore", 1.3667, 103.8, 0.4, []),
    ("GRC", "GREECE", "GR", "Greece", 39.0, 22.0, 0.3, ["ATHENS"]),
    ("NLD", "NETHERLANDS", "NL", "Netherlands", 52.5, 5.75, 0.3, ["AMSTERDAM", "THE HAGUE"]),
    ("BEL", "BELGIUM", "BE", "Belgium", 50.8333, 4.0, 0.3, ["BRUSSELS"]),
    ("SWE", "SWEDEN", "SW", "Sweden", 62.0, 15.0, 0.3, ["STOCKHOLM"]),
    ("CHE", "SWITZERLAND", "SZ", "Switzerland", 47.0, 8.0, 0.3, ["GENEVA"]),
    ("JOR", "JORDAN", "JO", "Jordan", 31.0, 36.0, 0.3, ["AMMAN"]),
    ("ZWE", "ZIMBABWE", "ZI", "Zimbabwe", -20.0, 30.0, 0.3, ["HARARE"]),
    ("UGA", "UGANDA", "UG", "Uganda", 1.0, 32.0, 0.3, ["KAMPALA"]),
    ("GHA", "GHANA", "GH", "Ghana", 8.0, -2.0, 0.3, ["ACCRA"]),
    ("MMR", "MYANMAR", "BM", "Myanmar", 22.0, 98.0, 0.3, ["YANGON"]),
]
# Long tail of other CAMEO country codes (small weights, synthetic FIPS codes).
_TAIL = ("ALB DZA AGO ARM AUT AZE BHR BLR BEN BTN BOL BIH BWA BRN BGR BFA BDI KHM CMR "
         "CAF TCD CHL COD COG CRI HRV CUB CYP CZE DNK DJI DOM ECU SLV ERI EST FIN GAB GMB "
         "GEO GIN HTI HND HUN ISL JAM KAZ KWT KGZ LAO LVA LSO LBR LTU LUX MDG MWI MLI MLT "
         "MRT MUS MDA MNG MNE MAR MOZ NAM NPL NIC NER NOR OMN PAN PNG PRY PER PRT ROU RWA "
         "SEN SRB SLE SVK SVN SSD TJK TZA TGO TTO TUN TKM URY UZB ZMB FJI MDV SYC").split()
_REGIONS = [("EUR", "EUROPE"), ("AFR", "AFRICA"), ("ASA", "ASIA"), ("MEA", "MIDDLE EAST"),
            ("WST", "THE WEST"), ("LAM", "LATIN AMERICA"), ("SAS", "SOUTH ASIA")]

TYPES = [  # CAMEO actor type code, typical names
    ("GOV", ["GOVERNMENT", "PRESIDENT", "PRIME MINISTER", "MINISTRY", "AUTHORITIES", "OFFICIAL"]),
    ("COP", ["POLICE", "POLICE OFFICER", "DETECTIVE", "SECURITY FORCE"]),
    ("MIL", ["MILITARY", "ARMY", "SOLDIER", "NAVY", "TROOP"]),
    ("JUD", ["COURT", "JUDGE", "PROSECUTOR", "ATTORNEY", "LAWYER"]),
    ("BUS", ["COMPANY", "BUSINESS", "FIRM", "BANK", "INVESTOR", "CORPORATION"]),
    ("CVL", ["CIVILIAN", "RESIDENTS", "CITIZEN", "COMMUNITY", "WOMAN", "CHILDREN"]),
    ("EDU", ["SCHOOL", "STUDENT", "UNIVERSITY", "TEACHER", "PROFESSOR"]),
    ("MED", ["MEDIA", "JOURNALIST", "REPORTER", "NEWSPAPER"]),
    ("LEG", ["PARLIAMENT", "LAWMAKER", "SENATE", "CONGRESS", "SENATOR"]),
    ("OPP", ["OPPOSITION", "ACTIVIST", "PROTESTER", "DISSIDENT"]),
    ("CRM", ["CRIMINAL", "SUSPECT", "GANG", "THIEF", "KILLER", "PRISONER"]),
    ("REB", ["REBEL", "MILITANT", "INSURGENT", "GUNMAN"]),
    ("HLH", ["HOSPITAL", "DOCTOR", "HEALTH OFFICIAL", "NURSE"]),
    ("LAB", ["WORKER", "UNION", "EMPLOYEE"]),
    ("REF", ["REFUGEE", "MIGRANT", "ASYLUM SEEKER"]),
    ("ELI", ["ELITE", "CELEBRITY", "BILLIONAIRE"]),
    ("AGR", ["FARMER", "AGRICULTURE"]),
    ("SPY", ["INTELLIGENCE", "SPY", "INTELLIGENCE AGENCY"]),
    ("ENV", ["ENVIRONMENTALIST"]),
    ("UAF", ["ARMED GANG", "ARMED MAN"]),
    ("IGO", ["INTERNATIONAL ORGANIZATION"]),
    ("NGO", ["CHARITY", "AID GROUP", "FOUNDATION"]),
]
TYPE_WEIGHTS = [16, 9, 6, 6, 9, 9, 5, 4, 4, 3, 6, 2, 2, 2, 1.5, 1, 1, 1, 0.5, 0.5, 0.5, 1.5]
KNOWN_GROUPS = [("UNO", "UNITED NATIONS", "IGO"), ("EEC", "EUROPEAN UNION", "IGO"),
                ("NAT", "NATO", "IGO"), ("IMF", "INTERNATIONAL MONETARY FUND", "IGO"),
                ("WBK", "WORLD BANK", "IGO"), ("WHO", "WORLD HEALTH ORGANIZATION", "IGO"),
                ("AMN", "AMNESTY INTERNATIONAL", "NGO"), ("HRW", "HUMAN RIGHTS WATCH", "NGO"),
                ("TAL", "TALIBAN", "REB"), ("HMS", "HAMAS", "REB"), ("HEZ", "HEZBOLLAH", "REB"),
                ("ICC", "INTERNATIONAL CRIMINAL COURT", "IGO"), ("ASN", "ASEAN", "IGO"),
                ("AFB", "AFRICAN UNION", "IGO"), ("OPC", "OPEC", "IGO"), ("IRC", "RED CROSS", "NGO")]
RELIGIONS = [("CHR", ["CTH", "PRO", "ORT"]), ("MOS", ["SUN", "SHI"]), ("JEW", []),
             ("BUD", []), ("HIN", []), ("ATH", [])]
ETHNIC = ["kur", "pas", "ara", "tam", "hut", "tut", "uig", "bal", "ibo", "yor"]

US_STATES = [("Texas", "TX", 31.106, -97.6475), ("California", "CA", 36.17, -119.746),
             ("New York", "NY", 42.1497, -74.9384), ("Florida", "FL", 27.8333, -81.717),
             ("Illinois", "IL", 40.3363, -89.0022), ("Washington", "WA", 47.3917, -121.571),
             ("Ohio", "OH", 40.3736, -82.7755), ("Georgia", "GA", 32.9866, -83.6487),
             ("Pennsylvania", "PA", 40.5773, -77.264), ("Michigan", "MI", 43.3504, -84.5603),
             ("Arizona", "AZ", 33.7712, -111.387), ("Virginia", "VA", 37.768, -78.2057),
             ("Colorado", "CO", 39.0646, -105.327), ("Oregon", "OR", 44.5672, -122.126),
             ("Massachusetts", "MA", 42.2373, -71.5314), ("Tennessee", "TN", 35.7449, -86.7489),
             ("District of Columbia", "DC", 38.8951, -77.0364), ("Minnesota", "MN", 45.7326, -93.9196)]

_SYL = ("ka ri to ma na lo be su an el or ven dar mi sha kor tal bur gan hel ost ber wil "
        "mon ley chi pa do ru va ne zan lin fal mer qui tor sal").split()
_WORDS = ("police government president minister says said officials attack talks deal trade "
          "court election protest killed arrested report new police say leader crisis war "
          "peace security border visit summit plan economy market health fire storm man "
          "woman school city state national local first after over against amid warns "
          "calls urges meets agrees rejects condemns vows launches opens probe charges").split()
_TLDS = ["com", "com", "com", "com", "net", "org", "co.uk", "com.au", "ca", "in", "co.kr", "de"]
_NEWS = ["news", "times", "post", "herald", "daily", "tribune", "journal", "observer",
         "gazette", "star", "chronicle", "express", "record", "courier", "today", "online"]
_SECTIONS = ["news", "world", "politics", "local", "national", "article", "story",
             "news/world", "news/local", "en/news", "business", "opinion", "nation",
             "news/national", "world-news", "asia-pacific", "us-news", "crime"]


def _syll(rng, lo, hi):
    return "".join(rng.choice(_SYL) for _ in range(rng.randint(lo, hi))).capitalize()


def _cum(weights):
    out, s = [], 0.0
    for w in weights:
        s += w
        out.append(s)
    return out


def _pick(rng, items, cum):
    # weighted choice with precomputed cumulative weights (bisect inside choices)
    return rng.choices(items, cum_weights=cum, k=1)[0]


def _fmt_coord(x):
    s = "%.4f" % x
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return s


class Model:
    """All lookup pools; built deterministically from the seed."""

    def __init__(self, seed, fmt):
        rng = random.Random(seed * 1000003 + 17)
        self.fmt = fmt
        # --- countries -------------------------------------------------------
        countries = [list(c) for c in COUNTRIES]
        used_fips = {c[2] for c in countries}
        for code in _TAIL:
            fips = code[:2]
            while fips in used_fips:
                fips = code[0] + chr(65 + rng.randrange(26))
            used_fips.add(fips)
            name = _syll(rng, 2, 4).upper()
            countries.append([code, name, fips, name.title(),
                              rng.uniform(-35, 60), rng.uniform(-120, 150),
                              0.12, [_syll(rng, 2, 3).upper()]])
        self.countries = countries
        ccum = _cum([c[6] for c in countries])

        # --- geo pools per country (8 fields each, v2 incl. ADM2) ------------
        self.geo_by_fips = {}
        self.geo_cum_by_fips = {}
        for c in countries:
            code, name, fips, gname, lat, lon, w, cities = c
            entries, weights = [], []
            entries.append(("1", gname, fips, fips, "", lat, lon, fips))  # country
            weights.append(30.0)
            if fips == "US":
                for sname, ab, slat, slon in US_STATES:
                    entries.append(("2", "%s, United States" % sname, "US", "US" + ab, "",
                                    slat, slon, ab))
                    weights.append(2.0)
                    for _ in range(8):
                        cname = _syll(rng, 2, 3)
                        entries.append(("3", "%s, %s, United States" % (cname, sname), "US",
                                        "US" + ab, "%s%03d" % (ab, rng.randrange(1, 500)),
                                        slat + rng.uniform(-2, 2), slon + rng.uniform(-2, 2),
                                        str(rng.randrange(100000, 2500000))))
                        weights.append(0.8)
                entries.append(("3", "Washington, District of Columbia, United States", "US",
                                "USDC", "DC001", 38.8951, -77.0364, "531871"))
                weights.append(12.0)
            else:
                nadm = 3 + rng.randrange(10)
                adms = []
                for a in range(nadm):
                    aname = _syll(rng, 2, 3)
                    adm1 = "%s%02d" % (fips, a + 1)
                    adms.append((aname, adm1))
                    entries.append(("5", "%s, %s" % (aname, gname), fips, adm1, "",
                                    lat + rng.uniform(-3, 3), lon + rng.uniform(-3, 3), adm1))
                    weights.append(15.0 / nadm)
                for i, cn in enumerate(cities or [_syll(rng, 2, 3).upper()]):
                    aname, adm1 = adms[i % nadm]
                    entries.append(("4", "%s, %s, %s" % (cn.title(), aname, gname), fips, adm1,
                                    str(rng.randrange(1000, 99999)),
                                    lat + rng.uniform(-2, 2), lon + rng.uniform(-2, 2),
                                    str(-rng.randrange(100000, 3000000))))
                    weights.append(25.0 if i == 0 else 8.0)
                for _ in range(4 + int(w * 6)):
                    aname, adm1 = adms[rng.randrange(nadm)]
                    entries.append(("4", "%s, %s, %s" % (_syll(rng, 2, 3), aname, gname), fips,
                                    adm1, "" if rng.random() < 0.3 else str(rng.randrange(1000, 99999)),
                                    lat + rng.uniform(-3, 3), lon + rng.uniform(-3, 3),
                                    str(rng.randrange(-3000000, 3000000))))
                    weights.append(1.0)
            strs = []
            for (t, fn, fp, a1, a2, la, lo, fid) in entries:
                if fmt == "v2":
                    strs.append("\t".join((t, fn, fp, a1, a2, _fmt_coord(la), _fmt_coord(lo), fid)))
                else:
                    strs.append("\t".join((t, fn, fp, a1, _fmt_coord(la), _fmt_coord(lo), fid)))
            self.geo_by_fips[fips] = strs
            self.geo_cum_by_fips[fips] = _cum(weights)
        # global geo pool (weighted by country weight): flattened sample of 20000
        self.geo_pool = []
        for _ in range(20000):
            c = _pick(rng, countries, ccum)
            self.geo_pool.append(_pick(rng, self.geo_by_fips[c[2]], self.geo_cum_by_fips[c[2]]))
        nf = 8 if fmt == "v2" else 7
        self.geo_empty = "\t" * (nf - 1)
        # per-country small geo pools for fast uniform picks (keep weights)
        self.geo_pool_by_cc = {}
        for c in countries:
            fp = c[2]
            self.geo_pool_by_cc[c[0]] = [
                _pick(rng, self.geo_by_fips[fp], self.geo_cum_by_fips[fp]) for _ in range(64)]

        # --- actors ----------------------------------------------------------
        tcum = _cum(TYPE_WEIGHTS)
        self.actor_pool = []  # (10 tab-joined fields, cameo country code or "")
        for _ in range(40000):
            self.actor_pool.append(self._make_actor(rng, countries, ccum, tcum))
        self.actor_empty = ("\t" * 9, "")

        # --- events: (5 joined fields: EventCode..GoldsteinScale) ------------
        roots = sorted(ROOT_WEIGHTS)
        ev_items, ev_w = [], []
        for root in roots:
            codes = sorted(k for k in GOLDSTEIN if k.startswith(root) and len(k) >= 3)
            generic = root + "0"
            others = [k for k in codes if k != generic]
            sub = [1.0 / (i + 1) for i in range(len(others))]
            ssum = sum(sub) or 1.0
            for k in codes:
                share = 0.35 if k == generic else 0.65 * sub[others.index(k)] / ssum
                if len(k) == 4:
                    share *= 0.3
                base = k[:3]
                g = GOLDSTEIN[k]
                gs = ("%g" % g)
                ev_items.append("%s\t%s\t%s\t%d\t%s" % (k, base, root, quad_class(root), gs))
                ev_w.append(ROOT_WEIGHTS[root] * share)
        self.ev_items, self.ev_cum = ev_items, _cum(ev_w)

        # --- mentions/sources/articles triples --------------------------------
        self.nms_pool = []
        for _ in range(8192):
            nm = max(1, int(rng.lognormvariate(1.15, 0.95)))
            nm = min(nm, 2000)
            ns = 1 if rng.random() < 0.72 else min(nm, 1 + int(rng.expovariate(0.6)))
            na = nm if rng.random() < 0.85 else max(1, nm - rng.randrange(0, max(1, nm // 2) + 1))
            self.nms_pool.append("%d\t%d\t%d" % (nm, max(1, min(ns, na)), na))
        # --- AvgTone -------------------------------------------------------------
        self.tone_pool = []
        for _ in range(65536):
            if rng.random() < 0.012:
                self.tone_pool.append("0")
                continue
            words = rng.randrange(80, 2500)
            pos = rng.gauss(2.6, 1.2)
            neg = rng.gauss(4.9, 2.4)
            t = max(-30.0, min(25.0, pos - neg))
            t = round(t * words) / words  # ratio-looking value
            self.tone_pool.append(("%.15g" % t) if t != 0 else "0")
        # --- URL domains ---------------------------------------------------------
        self.domains = []
        for _ in range(1500):
            if rng.random() < 0.6:
                d = "%s%s" % (_syll(rng, 1, 3).lower(), rng.choice(_NEWS))
            else:
                d = "%s-%s" % (_syll(rng, 2, 3).lower(), rng.choice(_NEWS))
            self.domains.append(d + "." + rng.choice(_TLDS))
        self.dom_cum = _cum([1.0 / (i + 1) ** 0.8 for i in range(len(self.domains))])

    def _make_actor(self, rng, countries, ccum, tcum):
        code = name = cc = known = eth = rel1 = rel2 = t1 = t2 = t3 = ""
        r = rng.random()
        if r < 0.60:
            c = _pick(rng, countries, ccum)
            cc = c[0]
            r2 = rng.random()
            if r2 < 0.50:
                name, code = c[1], cc
                if rng.random() < 0.25:
                    t1 = _pick(rng, TYPES, tcum)[0]
                    code = cc + t1
            elif r2 < 0.68 and c[7]:
                name, code = rng.choice(c[7]), cc  # city / capital actor, e.g. SEOUL -> KOR
            elif r2 < 0.94:
                t = _pick(rng, TYPES, tcum)
                t1, name, code = t[0], rng.choice(t[1]), cc + t[0]
            else:
                t1 = rng.choice(["GOV", "GOV", "ELI", "LEG", "BUS"])
                name = ("%s %s" % (_syll(rng, 2, 3), _syll(rng, 2, 3))).upper()
                code = cc + t1
        elif r < 0.62:
            g, gname, gt = rng.choice(KNOWN_GROUPS)
            known, name, code, t1 = g, gname, gt + g, gt
        elif r < 0.64:
            code, name = rng.choice(_REGIONS)
        else:
            t = _pick(rng, TYPES, tcum)
            t1, name, code = t[0], rng.choice(t[1]), t[0]
        if t1 and rng.random() < 0.07:
            t2 = _pick(rng, TYPES, tcum)[0]
            if t2 != t1:
                code += t2
                if rng.random() < 0.06:
                    t3 = _pick(rng, TYPES, tcum)[0]
                    code += t3
            else:
                t2 = ""
        if rng.random() < 0.04:
            rel, subs = rng.choice(RELIGIONS)
            rel1 = rel
            code += rel
            if subs and rng.random() < 0.35:
                rel2 = rng.choice(subs)
                code += rel2
        if rng.random() < 0.008:
            eth = rng.choice(ETHNIC)
        return ("\t".join((code, name, cc, known, eth, rel1, rel2, t1, t2, t3)), cc)

    def url(self, rng):
        d = _pick(rng, self.domains, self.dom_cum)
        sec = rng.choice(_SECTIONS)
        nw = rng.randrange(4, 10)
        slug = "-".join(rng.choice(_WORDS) for _ in range(nw))
        r = rng.random()
        if r < 0.35:
            return "https://www.%s/%s/%s-%d" % (d, sec, slug, rng.randrange(10 ** 6, 10 ** 8))
        if r < 0.7:
            return "https://%s/%s/%s/" % (d, sec, slug)
        if r < 0.85:
            return "https://www.%s/%s/article_%08x-%04x.html" % (d, sec, rng.getrandbits(32),
                                                                 rng.getrandbits(16))
        return "http://www.%s/%s.php?id=%d" % (d, sec, rng.randrange(10 ** 5, 10 ** 9))


_DATE_CACHE = {}


def _date_fields(d):
    v = _DATE_CACHE.get(d)
    if v is None:
        doy = d.timetuple().tm_yday
        v = "%04d%02d%02d\t%04d%02d\t%04d\t%.4f" % (d.year, d.month, d.day, d.year, d.month,
                                                    d.year, d.year + doy / 365.0)
        _DATE_CACHE[d] = v
    return v


def gen_interval(model, seed, idx, t0, count, first_id):
    """Rows of one 15-minute interval as one str (each row ends with '\n')."""
    rng = random.Random((seed << 32) ^ (idx * 2654435761 & 0xFFFFFFFF) ^ 0x5DEECE66D)
    rnd = rng.random
    choices = rng.choices
    v2 = model.fmt == "v2"
    added = t0.strftime("%Y%m%d%H%M%S") if v2 else t0.strftime("%Y%m%d")
    day = t0.date()
    actors = model.actor_pool
    na = len(actors)
    geo_pool = model.geo_pool
    ngeo = len(geo_pool)
    geo_cc = model.geo_pool_by_cc
    gempty = model.geo_empty
    aempty = model.actor_empty
    nms = model.nms_pool
    tones = model.tone_pool
    # bulk draws
    evs = choices(model.ev_items, cum_weights=model.ev_cum, k=count)
    out = []
    ap = out.append
    eid = first_id
    url = None
    url_left = 0
    td = dt.timedelta
    for i in range(count):
        eid += 1 if rnd() < 0.9 else 2
        r = rnd()
        if r < 0.72:
            d = day
        elif r < 0.86:
            d = day - td(days=1)
        elif r < 0.93:
            d = day - td(days=2 + int(rnd() * 28))
        elif r < 0.98:
            d = day - td(days=365)
        else:
            d = day - td(days=3652)
        a1 = aempty if rnd() < 0.08 else actors[int(rnd() * na)]
        a2 = aempty if rnd() < 0.34 else actors[int(rnd() * na)]
        # geo: actor geo present when actor present (mostly); correlated with actor country
        if a1 is aempty or rnd() < 0.04:
            g1 = gempty
        elif a1[1] and rnd() < 0.7:
            pool = geo_cc[a1[1]]
            g1 = pool[int(rnd() * len(pool))]
        else:
            g1 = geo_pool[int(rnd() * ngeo)]
        if a2 is aempty or rnd() < 0.04:
            g2 = gempty
        elif a2[1] and rnd() < 0.7:
            pool = geo_cc[a2[1]]
            g2 = pool[int(rnd() * len(pool))]
        else:
            g2 = geo_pool[int(rnd() * ngeo)]
        r = rnd()
        if r < 0.55 and g1 is not gempty:
            g3 = g1
        elif r < 0.70 and g2 is not gempty:
            g3 = g2
        elif r < 0.975:
            g3 = geo_pool[int(rnd() * ngeo)]
        else:
            g3 = gempty
        if url_left <= 0:
            url = model.url(rng)
            url_left = 1 + int(rng.expovariate(0.6))
        url_left -= 1
        ap("%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
            eid, _date_fields(d), a1[0], a2[0], "1" if rnd() < 0.55 else "0", evs[i],
            nms[int(rnd() * 8192)], tones[int(rnd() * 65536)], g1, g2, g3, added, url))
    return "".join(out)


def plan_intervals(args):
    """List of (idx, t0, count, first_id)."""
    start = dt.datetime.strptime(args.start, "%Y%m%d%H%M%S")
    rng = random.Random(args.seed * 7919 + 3)
    lo_hi = None
    if args.interval_rows:
        lo, hi = args.interval_rows.split(":")
        lo_hi = (int(lo), int(hi))
    per15 = args.rows_per_day / 96.0
    plans = []
    eid = args.first_id
    total = 0
    idx = 0
    max_intervals = None
    if args.days:
        max_intervals = int(args.days * 96)
    if args.intervals:
        max_intervals = args.intervals
    while True:
        if max_intervals is not None and idx >= max_intervals:
            break
        if args.rows is not None and total >= args.rows:
            break
        if args.rows is None and max_intervals is None and args.bytes is None:
            break
        t0 = start + dt.timedelta(minutes=15 * idx)
        if lo_hi:
            n = rng.randint(*lo_hi)
        else:
            h = t0.hour + t0.minute / 60.0
            diurnal = 1.0 + 0.35 * math.sin((h - 9.0) / 24.0 * 2 * math.pi)
            n = max(1, int(per15 * diurnal * rng.lognormvariate(0.0, 0.08)))
        if args.rows is not None:
            n = min(n, args.rows - total)
        plans.append((idx, t0, n, eid))
        eid += n * 2 + 10
        total += n
        idx += 1
        if args.bytes is not None and max_intervals is None and args.rows is None:
            # in --bytes mode the caller stops early; plan generously
            if total * 200 > args.bytes * 4:
                break
    return plans


_MODEL = None


def _init_worker(seed, fmt):
    global _MODEL
    _MODEL = Model(seed, fmt)


def _work_group(job):
    seed, group = job
    return "".join(gen_interval(_MODEL, seed, *p) for p in group).encode("ascii")


def _write_zip(path, inner, data, t0):
    zi = zipfile.ZipInfo(inner, date_time=(t0.year, t0.month, t0.day, t0.hour, t0.minute, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(zi, data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, help="emit exactly N rows")
    ap.add_argument("--bytes", type=int, help="emit whole rows until at least N bytes")
    ap.add_argument("--days", type=float, help="emit this many days of 15-minute intervals")
    ap.add_argument("--intervals", type=int, help="emit this many 15-minute intervals")
    ap.add_argument("--rows-per-day", type=int, default=185000,
                    help="average events per day (default 185000, ~GDELT 2.0 volume)")
    ap.add_argument("--interval-rows", help="MIN:MAX rows per 15-minute interval (overrides rate)")
    ap.add_argument("--start", default="20250117000000", help="first DATEADDED, YYYYMMDDHHMMSS")
    ap.add_argument("--first-id", type=int, default=1200000000, help="first GLOBALEVENTID")
    ap.add_argument("--seed", type=int, default=20250117)
    ap.add_argument("--format", choices=["v2", "v1"], default="v2",
                    help="v2: 61 columns (GDELT 2.0); v1: 58 columns (GDELT 1.0 daily + SOURCEURL)")
    ap.add_argument("--split", choices=["none", "15min", "day"], default="none")
    ap.add_argument("--zip", action="store_true", help="with --split: one .zip per file, one .CSV inside")
    ap.add_argument("--outdir", help="directory for --split output")
    ap.add_argument("-o", "--output", default="-", help="output file for --split none ('-' = stdout)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (output stays identical)")
    ap.add_argument("--header", action="store_true", help="print the column names (one per line) and exit")
    args = ap.parse_args()
    cols = V2_COLUMNS if args.format == "v2" else V1_COLUMNS
    if args.header:
        print("\n".join(cols))
        return
    if args.rows is None and args.bytes is None and args.days is None and args.intervals is None:
        ap.error("give --rows, --bytes, --days or --intervals")
    plans = plan_intervals(args)
    # group intervals into output units
    if args.split == "15min":
        groups = [[p] for p in plans]
    elif args.split == "day" or args.format == "v1":
        groups, cur, curday = [], [], None
        for p in plans:
            if curday is not None and p[1].date() != curday:
                groups.append(cur)
                cur = []
            cur.append(p)
            curday = p[1].date()
        if cur:
            groups.append(cur)
    else:
        groups = [[p] for p in plans]
    if args.split != "none" and args.bytes is not None:
        ap.error("--bytes works with --split none only")
    jobs = [(args.seed, g) for g in groups]
    if args.jobs > 1:
        import multiprocessing as mp
        pool = mp.Pool(args.jobs, initializer=_init_worker, initargs=(args.seed, args.format))
        results = pool.imap(_work_group, jobs, chunksize=1)
    else:
        pool = None
        _init_worker(args.seed, args.format)
        results = (_work_group(j) for j in jobs)
    written = 0
    rows = 0
    try:
        if args.split == "none":
            out = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")
            for data in results:
                if args.bytes is not None and written + len(data) >= args.bytes:
                    # cut at the first row end at/after the byte target
                    need = args.bytes - written
                    cut = data.find(b"\n", max(0, need - 1)) + 1 if need > 0 else 0
                    data = data[:cut]
                    out.write(data)
                    written += len(data)
                    rows += data.count(b"\n")
                    break
                out.write(data)
                written += len(data)
                rows += data.count(b"\n")
            out.flush()
            if out is not sys.stdout.buffer:
                out.close()
        else:
            os.makedirs(args.outdir, exist_ok=True)
            for g, data in zip(groups, results):
                t0 = g[0][1]
                if args.split == "15min":
                    stem = t0.strftime("%Y%m%d%H%M%S") + ".export.CSV"
                else:
                    stem = t0.strftime("%Y%m%d") + ".export.CSV"
                if args.zip:
                    _write_zip(os.path.join(args.outdir, stem + ".zip"), stem, data, t0)
                else:
                    with open(os.path.join(args.outdir, stem), "wb") as f:
                        f.write(data)
                written += len(data)
                rows += data.count(b"\n")
    finally:
        if pool is not None:
            pool.terminate()
    sys.stderr.write("gen_gdelt: %d rows, %d bytes (%.1f B/row), %d columns\n"
                     % (rows, written, written / max(rows, 1), len(cols)))


if __name__ == "__main__":
    main()
