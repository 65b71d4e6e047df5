"""The repository's addons come from their manifests, dependencies first."""

from sbkdev import project


def test_every_addon_with_a_manifest_is_ours():
    names = {p.parent.name for p in project.ADDONS_DIR.glob("*/__manifest__.py")}
    assert set(project.our_addons()) == names
    assert {"sbk_trade", "sbk_export_reservation", "sbk_mes_bridge", "sbk_landed_cost"} <= names


def test_addons_come_after_the_addons_they_depend_on():
    order = project.our_addons()
    for name in order:
        for dep in project.manifests()[name].get("depends", []):
            if dep in order:
                assert order.index(dep) < order.index(name), (dep, name)


def test_auto_install_bridges_are_not_main_addons():
    bridges = {n for n, m in project.manifests().items() if m.get("auto_install")}
    assert not bridges & set(project.main_addons())
    assert set(project.main_addons()) | bridges == set(project.product_addons())
    assert project.DEMO_ADDON not in project.product_addons()


def test_the_default_template_holds_the_products_modules_not_the_demos():
    """The demo story's Chinese chart would change the companies the addons' tests run with."""
    story_only = set(project.odoo_dependencies()) - set(
        project.odoo_dependencies(project.product_addons())
    )
    if project.DEMO_ADDON in project.manifests():
        assert "l10n_cn" in story_only


def test_odoo_dependencies_hold_only_odoo_modules():
    deps = project.odoo_dependencies()
    assert "mrp" in deps and "sale_stock" in deps
    assert not set(deps) & set(project.our_addons())
    assert deps == sorted(deps)


def test_free_port_is_free():
    import socket

    port = project.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
