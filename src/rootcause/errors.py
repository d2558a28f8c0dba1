"""Exceptions raised by rootcause; the CLI and the service print them as ``TypeName: message``."""


class RootCauseError(Exception):
    """Base class of every error rootcause raises on purpose."""


class ModelNotFoundError(RootCauseError):
    """No model where one was expected."""


class ModelIntegrityError(RootCauseError):
    """A model file does not match its manifest (tampered, truncated or replaced)."""


class ModelVersionError(RootCauseError):
    """A model was saved by a scikit-learn version other than the installed one."""


class DataError(RootCauseError):
    """Labelled or input data is malformed."""


class RulesError(RootCauseError):
    """A rules file is invalid."""
