import re


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the site's own form and land on "Moje konto"."""
    page.goto(base_url + "/konto/login/")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    page.wait_for_url(re.compile(r"/konto/$"))
