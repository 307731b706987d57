from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ProjectCardBlock(blocks.StructBlock):
    """A current project on the home page: name, what it does, its period and figures."""

    name = blocks.CharBlock(label=_("name"))
    summary = blocks.TextBlock(label=_("summary"))
    period = blocks.CharBlock(label=_("period"), required=False)
    figure = blocks.CharBlock(label=_("key figure"), required=False)
    figure_label = blocks.CharBlock(label=_("key figure label"), required=False)
    page = blocks.PageChooserBlock(label=_("page"), required=False)

    class Meta:
        icon = "folder-open-inverse"
        template = "cms/blocks/project_card.html"
        label = _("Project")


class ProgrammeTopicBlock(blocks.StructBlock):
    """One topic of a course programme, with its teaching hours."""

    title = blocks.CharBlock(label=_("topic"))
    description = blocks.TextBlock(label=_("description"), required=False)
    hours = blocks.DecimalBlock(
        label=_("hours"), required=False, min_value=0, decimal_places=1
    )

    class Meta:
        icon = "list-ol"
        template = "cms/blocks/programme_topic.html"
        label = _("Topic")
