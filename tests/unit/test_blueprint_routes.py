"""A module's routes, declared next to its views, reach the blueprint as ``@bp.route`` would
put them there (``webapp.blueprints.routes``)."""

from __future__ import annotations

from flask import Blueprint, Flask

from webapp.blueprints.routes import Routes

routes = Routes()


@routes.get("/")
def listing() -> str:
    return "list"


@routes.route("/items/<int:item_id>", methods=["GET", "POST"])
def item(item_id: int) -> str:
    return f"item {item_id}"


@routes.post("/items")
def add_item() -> str:
    return "added"


def _app() -> Flask:
    bp = Blueprint("shop", __name__, url_prefix="/shop")
    routes.add_to(bp)
    app = Flask(__name__)
    app.register_blueprint(bp)
    return app


def test_each_view_is_an_endpoint_named_after_it_with_its_methods() -> None:
    rules = {r.endpoint: r for r in _app().url_map.iter_rules() if r.endpoint != "static"}
    assert {name: (r.rule, r.methods - {"HEAD", "OPTIONS"}) for name, r in rules.items()} == {
        "shop.listing": ("/shop/", {"GET"}),
        "shop.item": ("/shop/items/<int:item_id>", {"GET", "POST"}),
        "shop.add_item": ("/shop/items", {"POST"}),
    }


def test_the_decorated_view_is_the_view_itself() -> None:
    app = _app()
    assert app.view_functions["shop.item"] is item
    with app.test_client() as client:
        assert client.post("/shop/items/3").get_data(as_text=True) == "item 3"
        assert client.get("/shop/items").status_code == 405
