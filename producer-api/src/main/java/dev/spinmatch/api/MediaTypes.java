package dev.spinmatch.api;

import java.util.Locale;

/** The one request body type the API reads: {@code application/json}, in UTF-8 when a charset is named. */
final class MediaTypes {
    private MediaTypes() {
    }

    /** True for {@code application/json} with no parameters, or a charset of UTF-8 (either case, spaces allowed). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            String name = parameter[0].trim().toLowerCase(Locale.ROOT);
            String value = parameter.length == 2 ? parameter[1].trim().replace("\"", "") : "";
            if (!name.equals("charset") || !value.equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }
}
