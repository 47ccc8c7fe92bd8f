/* SBOMs of an image's packages: CycloneDX 1.5 JSON and SPDX 2.3 JSON, with
 * package URLs (purl) for every package. */
#include "scan/scan.h"
#include "base/buf.h"
#include "base/util.h"
#include "docker/image.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>

static void purl_escape(struct bh_buf *b, const char *s)
{
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || c == '~')
                        bh_buf_putc(b, (char)c);
                else
                        bh_buf_printf(b, "%%%02X", c);
        }
}

static const char *purl_namespace(const struct bh_package *p, const struct bh_os *os)
{
        const char *id = os && os->id ? os->id : NULL;
        switch (p->format) {
        case BH_PKG_APK:
                return id && strcmp(id, "wolfi") == 0 ? "wolfi" : "alpine";
        case BH_PKG_RPM:
                if (!id)
                        return "redhat";
                if (strcmp(id, "rhel") == 0)
                        return "redhat";
                if (strcmp(id, "amzn") == 0)
                        return "amazon";
                if (strcmp(id, "ol") == 0)
                        return "oracle";
                if (bh_startswith(id, "opensuse") || bh_startswith(id, "sle"))
                        return "opensuse";
                return id;
        case BH_PKG_DPKG:
        default:
                return id && strcmp(id, "ubuntu") == 0 ? "ubuntu" : "debian";
        }
}

char *bh_package_purl(const struct bh_package *p, const struct bh_os *os)
{
        struct bh_buf b = BH_BUF_INIT;
        bh_buf_printf(&b, "pkg:%s/%s/", bh_pkg_format_name(p->format), purl_namespace(p, os));
        purl_escape(&b, p->name);
        bh_buf_putc(&b, '@');
        const char *version = p->version;
        const char *colon = p->format == BH_PKG_RPM ? strchr(version, ':') : NULL;
        if (colon) /* rpm: the epoch is a qualifier */
                version = colon + 1;
        purl_escape(&b, version);
        char sep = '?';
        if (p->arch) {
                bh_buf_printf(&b, "%carch=", sep);
                purl_escape(&b, p->arch);
                sep = '&';
        }
        if (colon) {
                bh_buf_printf(&b, "%cepoch=%.*s", sep, (int)(colon - p->version), p->version);
                sep = '&';
        }
        if (os && os->id && os->version_id) {
                bh_buf_printf(&b, "%cdistro=", sep);
                purl_escape(&b, os->id);
                bh_buf_putc(&b, '-');
                purl_escape(&b, os->version_id);
        }
        return bh_buf_steal(&b);
}

static char *uuid4(void)
{
        unsigned char r[16];
        if (getrandom(r, sizeof r, 0) != sizeof r)
                for (size_t i = 0; i < sizeof r; i++)
                        r[i] = (unsigned char)rand();
        r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
        r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
        return bh_xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                            r[11], r[12], r[13], r[14], r[15]);
}

static char *timestamp(time_t now)
{
        struct tm tm;
        gmtime_r(&now, &tm);
        char buf[32];
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return bh_xstrdup(buf);
}

static json_t *prop(const char *name, const char *value)
{
        return json_pack("{s:s, s:s}", "name", name, "value", value ? value : "");
}

static const char *layer_diff_id(const struct bh_image *img, int layer)
{
        size_t n;
        const struct bh_image_layer *L = bh_image_layers(img, &n);
        return layer >= 0 && (size_t)layer < n ? L[layer].diff_id : NULL;
}

static json_t *cyclonedx(const struct bh_image *img, const struct bh_scan_result *res,
                         const char *ref, const char *tool_version, time_t now)
{
        _cleanup_free_ char *uuid = uuid4(), *ts = timestamp(now);
        _cleanup_free_ char *serial = bh_xasprintf("urn:uuid:%s", uuid);
        json_t *image = json_pack("{s:s, s:s, s:s}", "type", "container", "bom-ref", "image",
                                  "name", ref ? ref : "image");
        if (bh_image_id(img))
                json_object_set_new(image, "version", json_string(bh_image_id(img)));
        json_t *tools = json_pack("{s:[{s:s, s:s, s:s}]}", "components", "type", "application",
                                  "name", "bulkhead", "version", tool_version);
        json_t *bom = json_pack("{s:s, s:s, s:s, s:i, s:{s:s, s:o, s:o}}", "bomFormat", "CycloneDX",
                                "specVersion", "1.5", "serialNumber", serial, "version", 1,
                                "metadata", "timestamp", ts, "tools", tools, "component", image);
        json_t *components = json_array();
        json_t *depends = json_array();
        if (res->os.id) {
                json_t *os = json_pack("{s:s, s:s, s:s}", "type", "operating-system", "bom-ref",
                                       "os", "name", res->os.id);
                if (res->os.version_id)
                        json_object_set_new(os, "version", json_string(res->os.version_id));
                if (res->os.pretty_name)
                        json_object_set_new(os, "description", json_string(res->os.pretty_name));
                json_array_append_new(components, os);
                json_array_append_new(depends, json_string("os"));
        }
        for (size_t i = 0; i < res->packages.n; i++) {
                const struct bh_package *p = &res->packages.v[i];
                _cleanup_free_ char *purl = bh_package_purl(p, &res->os);
                _cleanup_free_ char *bomref = bh_xasprintf("%s#%zu", purl, i);
                json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "library", "bom-ref",
                                      bomref, "name", p->name, "version", p->version, "purl", purl);
                if (p->license)
                        json_object_set_new(
                            c, "licenses", json_pack("[{s:{s:s}}]", "license", "name", p->license));
                if (p->maintainer)
                        json_object_set_new(c, "publisher", json_string(p->maintainer));
                json_t *props = json_array();
                json_array_append_new(props,
                                      prop("bulkhead:package_type", bh_pkg_format_name(p->format)));
                json_array_append_new(props, prop("bulkhead:source_package", p->source_name));
                json_array_append_new(props, prop("bulkhead:source_version", p->source_version));
                if (p->db_path)
                        json_array_append_new(props, prop("bulkhead:package_db", p->db_path));
                if (layer_diff_id(img, p->layer))
                        json_array_append_new(
                            props, prop("bulkhead:layer_diff_id", layer_diff_id(img, p->layer)));
                json_object_set_new(c, "properties", props);
                json_array_append_new(components, c);
                json_array_append_new(depends, json_string(bomref));
        }
        json_object_set_new(bom, "components", components);
        json_object_set_new(bom, "dependencies",
                            json_pack("[{s:s, s:o}]", "ref", "image", "dependsOn", depends));
        return bom;
}

static json_t *spdx(const struct bh_image *img, const struct bh_scan_result *res, const char *ref,
                    const char *tool_version, time_t now)
{
        _cleanup_free_ char *uuid = uuid4(), *ts = timestamp(now);
        _cleanup_free_ char *ns =
            bh_xasprintf("https://bulkhead.invalid/spdx/%s/%s", ref ? ref : "image", uuid);
        _cleanup_free_ char *creator = bh_xasprintf("Tool: bulkhead-%s", tool_version);
        json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:[s]}}", "spdxVersion",
                                "SPDX-2.3", "dataLicense", "CC0-1.0", "SPDXID", "SPDXRef-DOCUMENT",
                                "name", ref ? ref : "image", "documentNamespace", ns,
                                "creationInfo", "created", ts, "creators", creator);
        json_t *pkgs = json_array();
        json_t *rels = json_array();
        json_t *image =
            json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "SPDXID", "SPDXRef-Image", "name",
                      ref ? ref : "image", "downloadLocation", "NOASSERTION", "filesAnalyzed", 0,
                      "licenseConcluded", "NOASSERTION", "licenseDeclared", "NOASSERTION",
                      "primaryPackagePurpose", "CONTAINER");
        if (bh_image_id(img))
                json_object_set_new(image, "versionInfo", json_string(bh_image_id(img)));
        json_array_append_new(pkgs, image);
        json_array_append_new(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId",
                                              "SPDXRef-DOCUMENT", "relationshipType", "DESCRIBES",
                                              "relatedSpdxElement", "SPDXRef-Image"));
        if (res->os.id) {
                json_t *os = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "SPDXID",
                                       "SPDXRef-OperatingSystem", "name", res->os.id,
                                       "downloadLocation", "NOASSERTION", "filesAnalyzed", 0,
                                       "licenseConcluded", "NOASSERTION", "licenseDeclared",
                                       "NOASSERTION", "primaryPackagePurpose", "OPERATING-SYSTEM");
                if (res->os.version_id)
                        json_object_set_new(os, "versionInfo", json_string(res->os.version_id));
                json_array_append_new(pkgs, os);
                json_array_append_new(rels,
                                      json_pack("{s:s, s:s, s:s}", "spdxElementId", "SPDXRef-Image",
                                                "relationshipType", "CONTAINS",
                                                "relatedSpdxElement", "SPDXRef-OperatingSystem"));
        }
        for (size_t i = 0; i < res->packages.n; i++) {
                const struct bh_package *p = &res->packages.v[i];
                _cleanup_free_ char *purl = bh_package_purl(p, &res->os);
                _cleanup_free_ char *id = bh_xasprintf("SPDXRef-Package-%zu", i + 1);
                _cleanup_free_ char *src =
                    bh_xasprintf("built package from: %s %s", p->source_name, p->source_version);
                json_t *o = json_pack(
                    "{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}]}", "SPDXID",
                    id, "name", p->name, "versionInfo", p->version, "downloadLocation",
                    "NOASSERTION", "filesAnalyzed", 0, "licenseConcluded", "NOASSERTION",
                    "licenseDeclared", "NOASSERTION", "copyrightText", "NOASSERTION", "sourceInfo",
                    src, "externalRefs", "referenceCategory", "PACKAGE-MANAGER", "referenceType",
                    "purl", "referenceLocator", purl);
                if (p->license)
                        json_object_set_new(o, "licenseComments",
                                            json_string(p->license)); /* not always SPDX syntax */
                if (p->maintainer) {
                        _cleanup_free_ char *sup = bh_xasprintf("Organization: %s", p->maintainer);
                        json_object_set_new(o, "supplier", json_string(sup));
                }
                json_array_append_new(pkgs, o);
                json_array_append_new(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId",
                                                      "SPDXRef-Image", "relationshipType",
                                                      "CONTAINS", "relatedSpdxElement", id));
        }
        json_object_set_new(doc, "packages", pkgs);
        json_object_set_new(doc, "relationships", rels);
        return doc;
}

json_t *bh_sbom(const struct bh_image *img, const struct bh_scan_result *res,
                enum bh_sbom_format fmt, const char *ref, const char *tool_version, time_t now)
{
        if (!now)
                now = time(NULL);
        return fmt == BH_SBOM_SPDX ? spdx(img, res, ref, tool_version, now)
                                   : cyclonedx(img, res, ref, tool_version, now);
}
