"""Django's password validators with Chinese messages.

Django's own zh-hans catalogue lacks the plural form of the minimum-length message, so a short password was refused
in English; every message and help text of the validators we use is written here instead.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as base


class MinimumLengthValidator(base.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短,至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"密码至少{self.min_length}个字符。"


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "密码与您的%(verbose_name)s太相似。"

    def get_help_text(self) -> str:
        return "密码不能与账号、姓名等个人信息相近。"


class CommonPasswordValidator(base.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "这个密码太常见,容易被猜中。"

    def get_help_text(self) -> str:
        return "不能使用常见密码。"


class NumericPasswordValidator(base.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字。"

    def get_help_text(self) -> str:
        return "密码不能全是数字。"
