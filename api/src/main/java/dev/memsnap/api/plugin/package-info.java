/**
 * The plugin SPI: a {@link dev.memsnap.api.plugin.MemsnapPlugin} found with {@link java.util.ServiceLoader}
 * contributes named factories of stores, event listeners, services and manager decorators; each factory gets the
 * host's configuration as a {@link dev.memsnap.api.plugin.PluginConfig} and memsnap's offerings as a
 * {@link dev.memsnap.api.plugin.PluginContext}.
 */
package dev.memsnap.api.plugin;
