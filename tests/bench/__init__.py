"""`make bench`: the enrolment rush over HTTP against the production serving layout."""
