package dev.sark.crossbuild;

import java.util.Locale;

/** How a target is built: chosen per target in the pom, {@link #AUTO} picks the first one that can work. */
public enum StrategyKind {
    AUTO, CARGO, CROSS, ZIGBUILD, BUILD_STD;

    /** Parses the pom spelling ({@code auto}, {@code cargo}, {@code cross}, {@code zigbuild}, {@code build-std}). */
    public static StrategyKind parse(String value, String triple) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(ConfigurationException.Setting.STRATEGY, triple, value, "is not a strategy:"
                    + " use one of auto, cargo, cross, zigbuild, build-std");
        }
    }

    public String pomName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
