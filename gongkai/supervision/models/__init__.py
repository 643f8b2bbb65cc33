"""The models of 监督保障, one module per area (each re-exported here for Django)."""

from gongkai.supervision.models.audit import *  # noqa: F403
from gongkai.supervision.models.calendar import *  # noqa: F403
from gongkai.supervision.models.inbox import *  # noqa: F403
from gongkai.supervision.models.notices import *  # noqa: F403
from gongkai.supervision.models.rectification import *  # noqa: F403
from gongkai.supervision.models.scorecard import *  # noqa: F403
