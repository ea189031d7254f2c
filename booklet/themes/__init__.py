"""The theme: templates, CSS, fonts per language and interface text.

Takes theme folders (a user's, layered over the default theme shipped inside this
package); gives a `Theme`, the interface text of each language of a handbook, and the
installed font faces the theme names. Renderers and checks read themes only through here.
"""
