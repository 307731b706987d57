"""Polish demo content written from the seed pages (seeds 001, 003 and 004)."""

HOME = {
    "title": "Szkolenia dla kadr pomocy i integracji społecznej",
    "slug": "start",
    "lead": (
        "Platforma szkoleniowa regionalnych ośrodków polityki społecznej: zapisy na "
        "szkolenia w limitach miejsc dla województw, materiały od trenerów, lista "
        "obecności i zaświadczenia, które każdy może sprawdzić."
    ),
    "about": (
        "<p>Na platformie pracownicy socjalni, aspiranci pracy socjalnej, terapeuci oraz "
        "kadra domów pomocy społecznej i ośrodków wsparcia zapisują się na moduły "
        "szkoleniowe realizowane w projektach współfinansowanych ze środków Europejskiego "
        "Funduszu Społecznego.</p>"
        "<ul><li>Wybierasz szkolenie i termin, a system od razu pokazuje, ile zostało miejsc.</li>"
        "<li>Po szkoleniu pobierasz zaświadczenie z kodem QR, który potwierdza jego ważność.</li>"
        "<li>Materiały szkoleniowe są dostępne w jednym miejscu — część z nich tylko dla "
        "uczestników i uprawnionych instytucji.</li></ul>"
    ),
    "projects": [
        {
            "name": "Doskonalenie zawodowe kluczowych pracowników systemu pomocy społecznej na terenie makroregionu II",
            "summary": (
                "Szkolenia z nowych rozwiązań organizacyjno-prawnych w pomocy społecznej dla "
                "pracowników instytucji pomocy i integracji społecznej z województw śląskiego, "
                "opolskiego i małopolskiego. Realizuje ROPS Województwa Śląskiego wraz z "
                "Fundacją Flexi Mind."
            ),
            "period": "do 31 lipca 2022 r. · PO WER 2014-2020, Działanie 2.5",
            "figure": "2 020",
            "figure_label": "uczestników: 1 140 z małopolskiego i opolskiego, 880 ze śląskiego",
        },
        {
            "name": "Liderzy Kooperacji",
            "summary": (
                "Model kooperacji instytucji pomocy i integracji społecznej z podmiotami innych "
                "polityk sektorowych, popularyzacja deinstytucjonalizacji i centrów usług "
                "społecznych w makroregionie I: lubelskie, mazowieckie, podkarpackie, podlaskie "
                "i świętokrzyskie."
            ),
            "period": "01.04.2018 – 30.11.2022 · PO WER 2014-2020, Działanie 2.5",
            "figure": "3",
            "figure_label": "moduły kompetencyjne dla kadry centrów usług społecznych",
        },
    ],
    "funding_info": (
        "<p>Projekt „Doskonalenie zawodowe kluczowych pracowników systemu pomocy społecznej "
        "na terenie makroregionu II” jest realizowany w ramach Osi priorytetowej II: "
        "Efektywne polityki publiczne dla rynku pracy, gospodarki i edukacji, Działania 2.5: "
        "Skuteczna pomoc społeczna Programu Operacyjnego Wiedza Edukacja Rozwój 2014-2020.</p>"
        "<p>Łączna wartość projektu wynosi <b>1 007 997,60 zł</b>, z czego "
        "<b>849 540,38 zł</b> stanowi dofinansowanie ze środków Europejskiego Funduszu "
        "Społecznego.</p>"
    ),
}

COURSE_INDEX = {
    "title": "Szkolenia",
    "title_en": "Training",
    "slug": "szkolenia",
    "intro": (
        "<p>Moduły kompetencyjne dla kadry pomocy i integracji społecznej, w tym dla "
        "pracowników centrów usług społecznych (CUS), oraz warsztaty dla władz gmin. "
        "Wybierz szkolenie, aby poznać program, prowadzących i terminy.</p>"
    ),
}

TARGET_GROUP_MACROREGION_II = (
    "<ul><li>pracownicy socjalni i aspiranci pracy socjalnej zatrudnieni w OPS, MOPS, MOPR "
    "oraz PCPR, realizujący zadania wynikające z ustawy o pomocy społecznej;</li>"
    "<li>pracownicy socjalni oraz kierownicy lub koordynatorzy działów/zespołów "
    "terapeutyczno-opiekuńczych zatrudnieni w domach pomocy społecznej;</li>"
    "<li>pracownicy socjalni oraz terapeuci zatrudnieni w ośrodkach wsparcia.</li></ul>"
)

# Seed 004 ("Liderzy Kooperacji", macroregion I): the modules' second audience, and
# the workshops' own.
TARGET_GROUP_MACROREGION_I = (
    "<p>W projekcie „Liderzy Kooperacji”: kadra instytucji pomocy i integracji "
    "społecznej z województw lubelskiego, mazowieckiego, podkarpackiego, podlaskiego "
    "i świętokrzyskiego (makroregion I).</p>"
)
TARGET_GROUP_MUNICIPAL_AUTHORITIES = (
    "<ul><li>wójtowie, burmistrzowie i prezydenci miast;</li>"
    "<li>osoby przez nich wydelegowane;</li>"
    "<li>radni gmin</li></ul>"
    "<p>z województw lubelskiego, mazowieckiego, podkarpackiego, podlaskiego "
    "i świętokrzyskiego (projekt „Liderzy Kooperacji”).</p>"
)

TRAINERS = [
    {
        "name": "dr Anna Wójcik",
        "title": "trenerka, specjalistka ds. organizacji usług społecznych",
        "bio": (
            "Od 15 lat wspiera gminy w przekształcaniu ośrodków pomocy społecznej w centra "
            "usług społecznych; autorka programów usług społecznych dla gmin miejsko-wiejskich."
        ),
        "email": "trener@szkolenia.test",
    },
    {
        "name": "Marek Zieliński",
        "title": "trener pracy socjalnej, superwizor",
        "bio": (
            "Pracownik socjalny i superwizor pracy socjalnej; prowadzi szkolenia z "
            "indywidualnych planów usług społecznych i pracy z rodziną."
        ),
        "email": "trener2@szkolenia.test",
    },
    {
        "name": "Katarzyna Nowicka",
        "title": "organizatorka społeczności lokalnej",
        "bio": (
            "Animatorka i organizatorka społeczności lokalnej, praktyczka modelu środowiskowej "
            "pracy socjalnej w gminach wiejskich."
        ),
        "email": "",
    },
]

COURSES = [
    {
        "title": "Zarządzanie i organizacja usług społecznych",
        "slug": "zarzadzanie-i-organizacja-uslug-spolecznych",
        "summary": (
            "Moduł I dla kadry centrów usług społecznych: jak zaplanować, zorganizować i "
            "zlecać usługi społeczne zgodnie z ustawą o realizowaniu usług społecznych przez CUS."
        ),
        "delivery": "3 dni, stacjonarnie lub zdalnie",
        "goals": (
            "<p>Uczestnicy poznają podstawy prawne i organizacyjne centrum usług społecznych "
            "oraz nabędą umiejętność przygotowania programu usług społecznych dla gminy.</p>"
            "<ul><li>rozumienie wariantów tworzenia CUS i przekształcenia OPS w CUS;</li>"
            "<li>umiejętność zaplanowania ścieżek zlecania usług podmiotom ekonomii społecznej;</li>"
            "<li>znajomość zasad ustalania odpłatności za usługi społeczne.</li></ul>"
        ),
        "programme": [
            (
                "Usługi społeczne w świetle ustawy o realizowaniu usług społecznych przez centrum usług społecznych",
                "Katalog usług, zadania gminy, relacja CUS do OPS.",
                4,
            ),
            (
                "Warianty tworzenia CUS i procedura przekształcenia OPS w CUS",
                "Uchwały rady gminy, statut, harmonogram i ryzyka przekształcenia.",
                4,
            ),
            (
                "Zadania i zasady działania CUS, program usług społecznych",
                "Diagnoza potrzeb i potencjału, konsultacje, przyjęcie programu.",
                4,
            ),
            (
                "Zlecanie usług: ustawa o działalności pożytku publicznego i PZP",
                "Klauzule społeczne, aspekty społeczne, współpraca z podmiotami ekonomii społecznej.",
                4,
            ),
            (
                "Zasady odpłatności za usługi społeczne",
                "Kryteria, ulgi i zwolnienia, przykłady uchwał.",
                4,
            ),
            (
                "Struktura organizacyjna CUS i wymagania kwalifikacyjne kadry",
                "Organizator usług, koordynator planów, organizator społeczności lokalnej; sprawozdawczość.",
                4,
            ),
        ],
        "trainers": ["dr Anna Wójcik"],
    },
    {
        "title": "Opracowywanie i realizacja indywidualnych planów usług społecznych",
        "slug": "indywidualne-plany-uslug-spolecznych",
        "summary": (
            "Moduł II: od rozpoznania potrzeb osoby i rodziny do indywidualnego planu usług "
            "społecznych, jego realizacji, monitorowania i oceny."
        ),
        "delivery": "2 dni, stacjonarnie lub zdalnie",
        "goals": (
            "<p>Uczestnicy nauczą się przygotowywać indywidualny plan usług społecznych "
            "wspólnie z osobą, której dotyczy, oraz koordynować jego realizację z "
            "wykonawcami usług.</p>"
        ),
        "programme": [
            (
                "Rozpoznanie potrzeb i zasobów osoby i rodziny",
                "Narzędzia diagnozy, rozmowa, udział osoby w planowaniu.",
                4,
            ),
            (
                "Struktura indywidualnego planu usług społecznych",
                "Cele, usługi, wykonawcy, terminy; wzory dokumentów.",
                4,
            ),
            (
                "Koordynacja realizacji planu",
                "Rola koordynatora indywidualnych planów, współpraca z wykonawcami.",
                4,
            ),
            (
                "Monitorowanie, ocena i modyfikacja planu",
                "Wskaźniki, przeglądy planu, zakończenie realizacji; studium przypadku.",
                4,
            ),
        ],
        "trainers": ["Marek Zieliński"],
    },
    {
        "title": "Organizacja społeczności lokalnej",
        "slug": "organizacja-spolecznosci-lokalnej",
        "summary": (
            "Moduł III: metody pracy środowiskowej — diagnoza społeczności, animacja, "
            "budowanie partnerstw lokalnych i włączanie mieszkańców w usługi społeczne."
        ),
        "delivery": "2 dni, stacjonarnie lub zdalnie",
        "goals": (
            "<p>Uczestnicy poznają metodę organizowania społeczności lokalnej i zaplanują "
            "działania środowiskowe w swojej gminie, łącząc je z programem usług społecznych.</p>"
        ),
        "programme": [
            (
                "Diagnoza społeczności lokalnej",
                "Mapowanie zasobów, spacer badawczy, rozmowy z mieszkańcami.",
                4,
            ),
            (
                "Animacja i aktywizacja mieszkańców",
                "Grupy samopomocowe, wolontariat, inicjatywy lokalne.",
                4,
            ),
            (
                "Partnerstwa lokalne i kooperacja instytucji",
                "Model kooperacji z podmiotami innych polityk sektorowych.",
                4,
            ),
            (
                "Plan działań środowiskowych",
                "Cele, działania, ewaluacja; powiązanie z programem usług społecznych.",
                4,
            ),
        ],
        "trainers": ["Katarzyna Nowicka"],
    },
    {
        "title": "Warsztaty dla władz gmin: centra usług społecznych i deinstytucjonalizacja",
        "slug": "warsztaty-cus-i-deinstytucjonalizacja",
        "summary": (
            "Warsztaty dla wójtów, burmistrzów, prezydentów miast i osób przez nich "
            "wydelegowanych: idea tworzenia CUS i proces deinstytucjonalizacji (DI) usług."
        ),
        "delivery": "1 dzień, stacjonarnie",
        "goals": (
            "<p>Uczestnicy poznają korzyści i koszty utworzenia centrum usług społecznych "
            "oraz kierunki deinstytucjonalizacji usług w gminie.</p>"
        ),
        "programme": [
            (
                "Idea CUS: po co gminie centrum usług społecznych",
                "Doświadczenia gmin, które utworzyły CUS.",
                3,
            ),
            (
                "Deinstytucjonalizacja usług społecznych",
                "Od opieki instytucjonalnej do usług w społeczności lokalnej.",
                3,
            ),
            (
                "Decyzje samorządu: dylematy prawne i organizacyjne",
                "Finansowanie, kadry, harmonogram.",
                2,
            ),
        ],
        "trainers": ["dr Anna Wójcik", "Katarzyna Nowicka"],
        "target_group": TARGET_GROUP_MUNICIPAL_AUTHORITIES,
    },
]
