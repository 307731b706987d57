"""Polish lessons and materials of the demo courses, written from seeds 003 and 004.

Each PDF is described here as a short HTML text and rendered with WeasyPrint when the
demo data is loaded; restricted lessons' files go to the course's own collection.
"""

import datetime
from typing import TypedDict


class DemoPdf(TypedDict):
    title: str
    restricted: bool
    html: str


# fmt: off
PDFS: dict[str, DemoPdf] = {
    "cus-ustawa": {
        "title": "Ustawa o CUS w pigułce – notatka dla uczestników",
        "restricted": False,
        "html": (
            "<h1>Ustawa o realizowaniu usług społecznych przez centrum usług społecznych</h1>"
            "<p>Notatka do modułu I „Zarządzanie i organizacja usług społecznych”.</p>"
            "<h2>Najważniejsze pojęcia</h2><ul>"
            "<li><b>Usługi społeczne</b> – działania gminy w zakresie m.in. polityki rodzinnej, "
            "wspierania rodziny, pomocy społecznej, ochrony zdrowia, kultury, edukacji, "
            "aktywności obywatelskiej i rynku pracy.</li>"
            "<li><b>Program usług społecznych</b> – dokument przyjmowany przez radę gminy na "
            "podstawie diagnozy potrzeb i potencjału społeczności lokalnej.</li>"
            "<li><b>Indywidualny plan usług społecznych</b> – plan przygotowany wspólnie z osobą, "
            "która korzysta z usług.</li></ul>"
            "<h2>Warianty utworzenia CUS</h2><ol>"
            "<li>przekształcenie ośrodka pomocy społecznej w CUS;</li>"
            "<li>utworzenie CUS jako nowej jednostki organizacyjnej gminy.</li></ol>"
        ),
    },
    "cus-harmonogram": {
        "title": "Harmonogram przekształcenia OPS w CUS – wzór z komentarzem",
        "restricted": True,
        "html": (
            "<h1>Harmonogram przekształcenia OPS w CUS</h1>"
            "<p>Materiał wyłącznie dla uczestników modułu I i uprawnionych podmiotów.</p>"
            "<table><tr><th>Etap</th><th>Działanie</th><th>Termin</th></tr>"
            "<tr><td>1</td><td>Diagnoza potrzeb i potencjału społeczności lokalnej</td><td>miesiące 1–3</td></tr>"
            "<tr><td>2</td><td>Konsultacje społeczne projektu programu usług społecznych</td><td>miesiąc 4</td></tr>"
            "<tr><td>3</td><td>Uchwała rady gminy o przekształceniu i nadaniu statutu</td><td>miesiąc 5</td></tr>"
            "<tr><td>4</td><td>Zmiana regulaminu organizacyjnego, nabór organizatora usług</td><td>miesiące 5–6</td></tr>"
            "<tr><td>5</td><td>Przyjęcie programu usług społecznych</td><td>miesiąc 7</td></tr></table>"
            "<p><b>Komentarz trenerki:</b> najczęstsze ryzyko to zbyt krótki czas na konsultacje; "
            "zaplanuj co najmniej 30 dni.</p>"
        ),
    },
    "ipus-wzor": {
        "title": "Wzór indywidualnego planu usług społecznych",
        "restricted": True,
        "html": (
            "<h1>Indywidualny plan usług społecznych – wzór</h1>"
            "<p>Materiał do modułu II. Wypełniany wspólnie z osobą, której plan dotyczy.</p>"
            "<h2>1. Dane osoby i rodziny</h2><p>Imię i nazwisko, adres, skład gospodarstwa domowego.</p>"
            "<h2>2. Potrzeby i zasoby</h2><p>Co osoba chce osiągnąć? Na czyje wsparcie może liczyć?</p>"
            "<h2>3. Usługi</h2><table><tr><th>Usługa</th><th>Wykonawca</th><th>Od – do</th><th>Odpłatność</th></tr>"
            "<tr><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td></tr></table>"
            "<h2>4. Monitorowanie</h2><p>Terminy przeglądów planu i osoba odpowiedzialna.</p>"
        ),
    },
    "osl-mapa": {
        "title": "Karta mapowania zasobów społeczności lokalnej",
        "restricted": False,
        "html": (
            "<h1>Mapowanie zasobów społeczności lokalnej</h1>"
            "<p>Karta pracy do modułu III „Organizacja społeczności lokalnej”.</p>"
            "<ol><li>Jakie miejsca spotkań działają w sołectwie lub na osiedlu?</li>"
            "<li>Kto już działa na rzecz innych (koło gospodyń wiejskich, OSP, parafia, szkoła)?</li>"
            "<li>Jakie umiejętności mieszkańców mogą posłużyć wspólnym działaniom?</li>"
            "<li>Które instytucje innych polityk sektorowych warto zaprosić do partnerstwa?</li></ol>"
        ),
    },
    "osl-plan": {
        "title": "Plan działań środowiskowych – studium przypadku gminy wiejskiej",
        "restricted": True,
        "html": (
            "<h1>Plan działań środowiskowych – studium przypadku</h1>"
            "<p>Gmina wiejska, 6 800 mieszkańców, 14 sołectw. Materiał dla uczestników modułu III.</p>"
            "<h2>Cel</h2><p>Zmniejszenie osamotnienia osób starszych w trzech sołectwach.</p>"
            "<h2>Działania</h2><ul><li>spacer badawczy z sołtysami i KGW;</li>"
            "<li>klub sąsiedzki w świetlicy wiejskiej raz w tygodniu;</li>"
            "<li>wolontariat młodzieży szkolnej – zakupy i rozmowy telefoniczne.</li></ul>"
            "<h2>Ewaluacja</h2><p>Liczba uczestników klubu, ankieta po 6 miesiącach.</p>"
        ),
    },
    "di-decyzje": {
        "title": "Deinstytucjonalizacja w gminie – pytania dla samorządu",
        "restricted": True,
        "html": (
            "<h1>Deinstytucjonalizacja usług w gminie</h1>"
            "<p>Materiał warsztatowy dla władz gmin i osób przez nie wydelegowanych.</p>"
            "<ol><li>Ile osób z gminy mieszka w domach pomocy społecznej i dlaczego?</li>"
            "<li>Jakie usługi w miejscu zamieszkania mogłyby zapobiec umieszczeniu w placówce?</li>"
            "<li>Jakie są koszty opieki instytucjonalnej, a jakie usług środowiskowych?</li>"
            "<li>Kto w gminie koordynuje usługi i czy CUS przejmie to zadanie?</li></ol>"
        ),
    },
}

LESSONS = {
    "zarzadzanie-i-organizacja-uslug-spolecznych": [
        {
            "title": "Centrum usług społecznych – podstawy prawne",
            "slug": "cus-podstawy-prawne",
            "teaser": (
                "Czym są usługi społeczne w rozumieniu ustawy o CUS, jakie zadania ma gmina "
                "i czym centrum różni się od ośrodka pomocy społecznej."
            ),
            "restricted": False,
            "body": [
                ("heading", "Po co gminie centrum usług społecznych"),
                ("paragraph",
                 "<p>Centrum usług społecznych (CUS) koordynuje w jednym miejscu usługi, które "
                 "dotąd świadczyły różne instytucje: pomoc społeczna, wspieranie rodziny, "
                 "ochrona zdrowia, kultura czy edukacja. Mieszkaniec otrzymuje usługi dobrane "
                 "do swoich potrzeb, a gmina planuje je na podstawie diagnozy.</p>"),
                ("heading", "Dwa warianty utworzenia CUS"),
                ("paragraph",
                 "<ul><li><b>przekształcenie</b> ośrodka pomocy społecznej w centrum – "
                 "najczęstsza droga w gminach wiejskich i miejsko-wiejskich;</li>"
                 "<li><b>utworzenie</b> CUS jako nowej jednostki organizacyjnej gminy.</li></ul>"
                 "<p>W obu wariantach rada gminy podejmuje uchwałę i nadaje statut.</p>"),
                ("video", {
                    "url": "https://wideo.rops.example.pl/cus-webinarium",
                    "title": "Webinarium: jak gminy tworzą centra usług społecznych",
                    "duration": "42 min",
                    "transcript": (
                        "<p>Nagranie spotkania z przedstawicielami trzech gmin, które "
                        "przekształciły ośrodki pomocy społecznej w CUS: harmonogram, "
                        "koszty i pierwsze doświadczenia.</p>"
                    ),
                }),
                ("document", "cus-ustawa"),
            ],
        },
        {
            "title": "Przekształcenie OPS w CUS krok po kroku",
            "slug": "przeksztalcenie-ops-w-cus",
            "teaser": (
                "Harmonogram przekształcenia z komentarzem trenerki: uchwały, konsultacje, "
                "regulamin organizacyjny i nabór kadry."
            ),
            "restricted": True,
            "body": [
                ("heading", "Harmonogram przekształcenia"),
                ("paragraph",
                 "<p>Przekształcenie trwa zwykle od sześciu do ośmiu miesięcy. Zaczyna się od "
                 "diagnozy potrzeb i potencjału społeczności lokalnej, a kończy przyjęciem "
                 "programu usług społecznych przez radę gminy.</p>"
                 "<p>Na zajęciach omawiamy każdy etap na przykładzie gmin, które przeszły tę "
                 "drogę, i najczęstsze ryzyka – przede wszystkim zbyt krótkie konsultacje.</p>"),
                ("heading", "Zlecanie usług i odpłatność"),
                ("paragraph",
                 "<p>Usługi można zlecać podmiotom ekonomii społecznej w trybie ustawy o "
                 "działalności pożytku publicznego i o wolontariacie albo zamówień publicznych, "
                 "z klauzulami społecznymi. Zasady odpłatności ustala rada gminy w uchwale.</p>"),
                ("document", "cus-harmonogram"),
            ],
        },
    ],
    "indywidualne-plany-uslug-spolecznych": [
        {
            "title": "Rozpoznanie potrzeb osoby i rodziny",
            "slug": "rozpoznanie-potrzeb",
            "teaser": (
                "Rozmowa, a nie ankieta: jak wspólnie z osobą rozpoznać jej potrzeby i zasoby "
                "przed przygotowaniem planu usług."
            ),
            "restricted": False,
            "body": [
                ("heading", "Osoba jest współautorem planu"),
                ("paragraph",
                 "<p>Indywidualny plan usług społecznych przygotowuje się wspólnie z osobą, "
                 "której dotyczy. Rozpoznanie zaczyna się od pytania, co chce ona osiągnąć, "
                 "a dopiero potem – jakie usługi mogą jej w tym pomóc.</p>"
                 "<ul><li>potrzeby i cele osoby i rodziny;</li>"
                 "<li>zasoby: rodzina, sąsiedzi, organizacje, własne umiejętności;</li>"
                 "<li>usługi, z których osoba już korzysta.</li></ul>"),
            ],
        },
        {
            "title": "Wzór planu i koordynacja jego realizacji",
            "slug": "wzor-planu-i-koordynacja",
            "teaser": (
                "Wzór indywidualnego planu usług społecznych z omówieniem każdej części oraz "
                "zadania koordynatora indywidualnych planów."
            ),
            "restricted": True,
            "body": [
                ("heading", "Struktura planu"),
                ("paragraph",
                 "<p>Plan zawiera cele, usługi, ich wykonawców, terminy i zasady odpłatności "
                 "oraz sposób monitorowania. Koordynator indywidualnych planów czuwa nad "
                 "współpracą wykonawców i przeglądami planu.</p>"),
                ("document", "ipus-wzor"),
            ],
        },
    ],
    "organizacja-spolecznosci-lokalnej": [
        {
            "title": "Diagnoza społeczności lokalnej",
            "slug": "diagnoza-spolecznosci",
            "teaser": (
                "Mapowanie zasobów, spacer badawczy i rozmowy z mieszkańcami – od czego "
                "zacząć pracę środowiskową w gminie wiejskiej."
            ),
            "restricted": False,
            "body": [
                ("heading", "Zasoby, nie tylko problemy"),
                ("paragraph",
                 "<p>Organizowanie społeczności lokalnej zaczyna się od poznania jej zasobów: "
                 "miejsc spotkań, ludzi, którzy już działają, i instytucji, które mogą wejść "
                 "w partnerstwo. Karta mapowania pomoże przygotować spacer badawczy.</p>"),
                ("document", "osl-mapa"),
            ],
        },
        {
            "title": "Plan działań środowiskowych – studium przypadku",
            "slug": "plan-dzialan-srodowiskowych",
            "teaser": (
                "Jak gmina wiejska zaplanowała działania przeciw osamotnieniu osób starszych "
                "i powiązała je z programem usług społecznych."
            ),
            "restricted": True,
            "body": [
                ("heading", "Od diagnozy do planu"),
                ("paragraph",
                 "<p>Studium przypadku pokazuje cały cykl: diagnozę w trzech sołectwach, "
                 "partnerstwo z kołami gospodyń wiejskich i szkołą, plan działań i sposób "
                 "oceny jego efektów.</p>"),
                ("document", "osl-plan"),
            ],
        },
    ],
    "warsztaty-cus-i-deinstytucjonalizacja": [
        {
            "title": "Deinstytucjonalizacja usług – materiał warsztatowy",
            "slug": "deinstytucjonalizacja-material",
            "teaser": (
                "Pytania, na które samorząd powinien odpowiedzieć, zanim zdecyduje o "
                "kierunkach deinstytucjonalizacji usług w gminie."
            ),
            "restricted": True,
            "body": [
                ("heading", "Od opieki instytucjonalnej do usług w społeczności"),
                ("paragraph",
                 "<p>Deinstytucjonalizacja (DI) to przejście od opieki w placówkach do usług "
                 "świadczonych w miejscu zamieszkania. Na warsztatach pracujemy na danych "
                 "gminy i szukamy usług, które pozwolą mieszkańcom pozostać w domu.</p>"),
                ("document", "di-decyzje"),
            ],
        },
    ],
}
# fmt: on

PROJECT_PAGE = {
    "title": "O projekcie",
    "title_en": "About the project",
    "slug": "o-projekcie",
    "beneficiary": (
        "Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego w partnerstwie "
        "z Fundacją Flexi Mind"
    ),
    "goals": (
        "<p>Celem projektu „Doskonalenie zawodowe kluczowych pracowników systemu pomocy "
        "społecznej na terenie makroregionu II” jest podniesienie kompetencji kluczowych "
        "pracowników i pracownic instytucji pomocy i integracji społecznej z województw "
        "śląskiego, opolskiego i małopolskiego przez szkolenia z nowych rozwiązań "
        "organizacyjno-prawnych w pomocy społecznej.</p>"
        "<p>Wsparciem szkoleniowym zostanie objętych łącznie <b>2 020 osób</b>, w tym "
        "<b>1 140</b> wykonujących zadania na terenie województw małopolskiego i opolskiego "
        "oraz <b>880</b> na terenie województwa śląskiego.</p>"
    ),
    "body": (
        "<p>Projekt jest realizowany do 31 lipca 2022 roku w ramach Osi priorytetowej II: "
        "Efektywne polityki publiczne dla rynku pracy, gospodarki i edukacji, Działania 2.5: "
        "Skuteczna pomoc społeczna Programu Operacyjnego Wiedza Edukacja Rozwój 2014-2020 "
        "i jest współfinansowany ze środków Europejskiego Funduszu Społecznego.</p>"
    ),
}

ACCESSIBILITY = {
    "title": "Deklaracja dostępności",
    "title_en": "Accessibility statement",
    "slug": "deklaracja-dostepnosci",
    "entity_name": "Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego",
    "website_name": "Szkolenia ROPS – platforma szkoleniowa",
    "website_url": "https://szkolenia.rops.example.pl/",
    "published_on": datetime.date(2026, 3, 2),
    "updated_on": datetime.date(2026, 11, 20),
    "compliance": "partial",
    "non_accessible_content": (
        "<ul><li>część materiałów szkoleniowych w formacie PDF przekazanych przez "
        "trenerów przed 2026 r. może nie mieć struktury nagłówków;</li>"
        "<li>nagrania webinariów mają opis treści, ale nie wszystkie mają napisy "
        "– uzupełniamy je sukcesywnie.</li></ul>"
    ),
    "prepared_on": datetime.date(2026, 3, 2),
    "reviewed_on": datetime.date(2026, 11, 20),
    "assessment": "samoocena przeprowadzona przez podmiot publiczny",
    "keyboard_shortcuts": (
        "<p>Na stronie nie stosujemy własnych skrótów klawiaturowych. Pierwszy klawisz Tab "
        "odsłania łącze „Przejdź do treści”.</p>"
    ),
    "contact_name": "Joanna Kowalczyk",
    "contact_email": "dostepnosc@rops.example.pl",
    "contact_phone": "32 000 00 00",
    "complaints": (
        "<p>Każdy ma prawo wystąpić z żądaniem zapewnienia dostępności cyfrowej strony "
        "internetowej lub jej elementu. Żądanie powinno zawierać dane osoby zgłaszającej, "
        "wskazanie strony lub elementu oraz sposób kontaktu. Podmiot publiczny realizuje "
        "żądanie niezwłocznie, nie później niż w ciągu 7 dni; gdy to niemożliwe, informuje "
        "o terminie (nie dłuższym niż 2 miesiące) lub proponuje alternatywny sposób dostępu.</p>"
        "<p>Po odmowie lub niezapewnieniu dostępu w terminie można złożyć skargę na "
        "zapewnienie dostępności. Po wyczerpaniu tej procedury można złożyć wniosek do "
        "Rzecznika Praw Obywatelskich.</p>"
    ),
    "architecture": (
        "<p>Siedziba ROPS przy ul. Modelarskiej 10 w Katowicach ma wejście bez progów, windę "
        "i toaletę dostosowaną do potrzeb osób z niepełnosprawnościami. Do budynku można "
        "wejść z psem asystującym. Na parterze działa pętla indukcyjna. Możliwa jest obsługa "
        "w polskim języku migowym po wcześniejszym zgłoszeniu.</p>"
    ),
    "mobile_apps": "",
}
