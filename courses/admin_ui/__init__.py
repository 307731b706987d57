"""The coordinator's side of enrolment in the Wagtail admin; registered in wagtail_hooks."""
