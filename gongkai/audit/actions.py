"""What the audit trail records: one action code per kind of event, with its Chinese label.

GB/T 22239-2019 8.1.4.3 a)–b): audit covers every user and the important security events
(logins, privileged operations, access to personal information); each record has the date and
time, the user, the event type, whether it succeeded and other relevant information.
"""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    # 身份鉴别
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账户锁定"
    UNLOCK = "unlock", "解除锁定"
    PASSWORD_CHANGE = "password_change", "修改密码"
    PASSWORD_RESET = "password_reset", "重置密码"
    SESSION_EXPIRED = "session_expired", "会话超时"
    OTP_ENROL = "otp_enrol", "绑定动态口令"
    OTP_VERIFY = "otp_verify", "动态口令验证"
    OTP_FAILED = "otp_failed", "动态口令错误"
    # 个人信息
    REVEAL_ID = "reveal_id", "查看完整证件号码"
    REVEAL_PHONE = "reveal_phone", "查看完整联系电话"
    # 导出与下载
    EXPORT = "export", "导出"
    DOWNLOAD = "download", "下载"
    IMPORT = "import", "导入"
    # 数据变更
    CREATE = "create", "新增"
    CHANGE = "change", "修改"
    DELETE = "delete", "删除"
    CORRECT = "correct", "更正申请登记信息"
    VOID = "void", "作废申请"
    PUBLISH = "publish", "发布"
    # 用户与权限
    USER_CREATE = "user_create", "新增用户"
    USER_CHANGE = "user_change", "修改用户"
    USER_DISABLE = "user_disable", "停用用户"
    USER_DELETE = "user_delete", "删除用户"
    ROLE_GRANT = "role_grant", "授予角色"
    ROLE_REVOKE = "role_revoke", "撤销角色"
    # API 令牌
    TOKEN_CREATE = "token_create", "创建 API 令牌"
    TOKEN_REVOKE = "token_revoke", "吊销 API 令牌"
    TOKEN_REJECTED = "token_rejected", "API 令牌被拒绝"
    # 运维
    BACKUP = "backup", "备份"
    RESTORE = "restore", "恢复"
