"""Unbound Flask extensions; ``app.register_extensions`` binds them to an app."""

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
api = Api()
# Storage (memory, or Redis when REDIS_URL is set) and limits come from the app's config.
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
# Sends through SMTP from background jobs only (webapp/services/mail.py).
mail = Mail()
# In-process by default; Redis when REDIS_URL is set (see app.register_extensions).
cache = Cache()
