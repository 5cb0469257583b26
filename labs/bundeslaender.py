"""Germany's sixteen federal states (Bundesländer), as stored on lab pages and used in filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Bundesland(models.TextChoices):
    BADEN_WUERTTEMBERG = "baden-wuerttemberg", _("Baden-Württemberg")
    BAYERN = "bayern", _("Bavaria")
    BERLIN = "berlin", _("Berlin")
    BRANDENBURG = "brandenburg", _("Brandenburg")
    BREMEN = "bremen", _("Bremen")
    HAMBURG = "hamburg", _("Hamburg")
    HESSEN = "hessen", _("Hesse")
    MECKLENBURG_VORPOMMERN = "mecklenburg-vorpommern", _("Mecklenburg-Western Pomerania")
    NIEDERSACHSEN = "niedersachsen", _("Lower Saxony")
    NORDRHEIN_WESTFALEN = "nordrhein-westfalen", _("North Rhine-Westphalia")
    RHEINLAND_PFALZ = "rheinland-pfalz", _("Rhineland-Palatinate")
    SAARLAND = "saarland", _("Saarland")
    SACHSEN = "sachsen", _("Saxony")
    SACHSEN_ANHALT = "sachsen-anhalt", _("Saxony-Anhalt")
    SCHLESWIG_HOLSTEIN = "schleswig-holstein", _("Schleswig-Holstein")
    THUERINGEN = "thueringen", _("Thuringia")
