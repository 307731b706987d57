// Progressive enhancement: the menu is open without JavaScript, a toggle on small screens with it.
document.documentElement.classList.add("js");
document.querySelectorAll(".menu__toggle").forEach((toggle) => {
    const panel = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        panel.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && panel.classList.contains("is-open")) {
            toggle.setAttribute("aria-expanded", "false");
            panel.classList.remove("is-open");
            toggle.focus();
        }
    });
});
