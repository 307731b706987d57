class CertificateError(Exception):
    """A rule said no; the message is for the person, in their language."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
