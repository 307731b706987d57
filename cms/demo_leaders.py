"""The page of seed 004's project, "Liderzy Kooperacji": its facts from the seed, its
funding from the project (state budget: the national and the regional mark, the
statement with the amounts)."""

from courses import demo_leaders as leaders
from courses.models import Project

from .models import HomePage, ProjectInformationPage

SLUG = "liderzy-kooperacji"
PAGE = {
    "title": "Liderzy Kooperacji",
    "title_en": "Leaders of Cooperation",
    "slug": SLUG,
    "beneficiary": leaders.BENEFICIARY,
    "goals": (
        "<p>Głównym celem projektu jest wypracowanie i wdrożenie modelu kooperacji "
        "pomiędzy instytucjami pomocy i integracji społecznej a podmiotami innych "
        "polityk sektorowych istotnych z punktu widzenia włączenia społecznego "
        "i zwalczania ubóstwa dla gmin wiejskich, popularyzacja deinstytucjonalizacji "
        "(DI) oraz Centrów Usług Społecznych (CUS) na obszarze makroregionu I, tj. "
        "województw: lubelskiego, mazowieckiego, podkarpackiego, podlaskiego "
        "i świętokrzyskiego.</p>"
        "<ul><li>opracowanie oraz pilotażowe wdrożenie modelu kooperacji dla gmin "
        "wiejskich;</li>"
        "<li>edukacja i poszerzenie wiedzy o procesie deinstytucjonalizacji oraz "
        "funkcjonowaniu centrum usług społecznych wśród kadry instytucji pomocy "
        "i integracji społecznej.</li></ul>"
    ),
    "target_groups": (
        "<p>Podmioty działające w obszarze pomocy społecznej, m.in.: gminne ośrodki "
        "pomocy społecznej, powiatowe centra pomocy rodzinie, ośrodki interwencji "
        "kryzysowej, świetlice środowiskowe, Policja, sądy (kuratorzy), instytucje "
        "kulturalne i oświatowe oraz organizacje pozarządowe.</p>"
        "<ul><li>szkolenia kompetencyjne (trzy moduły: zarządzanie i organizacja usług "
        "społecznych, opracowywanie i realizacja indywidualnych planów usług "
        "społecznych, organizacja społeczności lokalnej) – dla kadry pomocy "
        "i integracji społecznej;</li>"
        "<li>szkolenia warsztatowe o idei tworzenia CUS i procesie DI – dla władz gmin "
        "(wójtów, burmistrzów, prezydentów miast) lub osób przez nich wydelegowanych "
        "oraz radnych.</li></ul>"
        "<p>Część materiałów platformy edukacyjnej jest dostępna tylko dla uprawnionych "
        "podmiotów: ich pracownicy czytają je bez zapisu na szkolenie.</p>"
    ),
    "body": (
        "<p>Projekt był realizowany od 1 kwietnia 2018 r. do 30 listopada 2022 r. "
        "w ramach Osi Priorytetowej II Efektywne polityki publiczne dla rynku pracy, "
        "gospodarki i edukacji, Działania 2.5 Skuteczna pomoc społeczna, Programu "
        "Operacyjnego Wiedza Edukacja Rozwój (PO WER) na lata 2014-2020. Wartość "
        "dofinansowania: <b>4 655 373,79 zł</b> (dotacja celowa); całkowity koszt "
        "projektu: <b>31 023 712,56 zł</b>.</p>"
        "<p>W demo okres projektu ma tę samą długość i te same daty dnia (1 kwietnia – "
        "30 listopada), przesunięte tak, by obejmował dzisiejszy dzień: wtedy na "
        "warsztaty można się zapisać.</p>"
    ),
}


def load(*, users: dict, home: HomePage) -> None:
    if ProjectInformationPage.objects.child_of(home).filter(slug=SLUG).exists():
        return
    home.add_child(
        instance=ProjectInformationPage(
            project=Project.objects.filter(code=leaders.PROJECT["code"]).first(),
            **PAGE,
        )
    )
