// Marks the page as scripted before it is painted, so that the menu and other
// enhancements start in their scripted state (the CSP allows no inline script).
document.documentElement.classList.add("js");
