from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


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


class VideoBlock(blocks.StructBlock):
    """A recorded video, shown as a link: nothing is fetched from the video site."""

    url = blocks.URLBlock(label=_("video address"))
    title = blocks.CharBlock(label=_("title"))
    duration = blocks.CharBlock(label=_("duration"), required=False)
    transcript = blocks.RichTextBlock(
        label=_("transcript or description"),
        required=False,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    class Meta:
        icon = "media"
        template = "cms/blocks/video.html"
        label = _("Video")


class DocumentBlock(blocks.StructBlock):
    """A file to download, with a line on what it is."""

    document = DocumentChooserBlock(label=_("file"))
    title = blocks.CharBlock(
        label=_("link text"),
        required=False,
        help_text=_("Leave empty to use the document's title."),
    )
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document.html"
        label = _("File to download")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        help_text=_("What the image shows; leave empty if it is decorative."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"
        label = _("Image")


class MaterialStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), icon="title", template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3"],
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    downloads = blocks.ListBlock(
        DocumentBlock(),
        label=_("Files to download"),
        template="cms/blocks/downloads.html",
    )
