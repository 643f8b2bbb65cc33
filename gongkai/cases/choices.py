"""Choice lists the services accept as plain values, with their Chinese labels for the screens.

The services validate the values (`application_start_consultation`, `application_notify_fee`,
`application_deliver`); these tables only name them for the forms and the timeline.
"""

from __future__ import annotations

PARTIES = {
    "third_party": "第三方（第三十二条）",
    "agency": "其他机关（第三十四条）",
}
FEE_METHODS = {
    "by_count": "按件计收",
    "by_pages": "按量计收",
}
DELIVERY_METHODS = {
    "in_person": "当面送达",
    "mail": "邮寄送达",
    "email": "电子邮件送达",
    "online": "网上送达",
}
