from courses.errors import RuleError


class CertificateError(RuleError):
    """A rule of issuing, revoking or correcting certificates said no."""
