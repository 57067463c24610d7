package dev.kubani.tui.render;

/** What a cell means, not how it looks: the view maps tones to colours. */
public enum Tone { NORMAL, OK, WARN, BAD, DIM, SAMPLE }
