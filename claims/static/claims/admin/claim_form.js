'use strict';
// The claim form's affiliation autocomplete lists only the chosen expert's affiliations: the expert's id
// is added to the autocomplete request (AffiliationAdmin.get_search_results reads it). A new expert clears
// the affiliation, which belonged to the previous one.
//
// Django merges form and admin media in an order of its choosing, so this waits for the page to load
// (after every script, django.jQuery included) instead of relying on where it lands in the list.
document.addEventListener('DOMContentLoaded', function() {
    const $ = django.jQuery;
    const expert = document.getElementById('id_expert');
    const affiliation = document.getElementById('id_affiliation');
    if (!expert || !affiliation) {
        return;
    }

    $.ajaxPrefilter(function(options, originalOptions) {
        const data = originalOptions.data;
        if (!data || data.model_name !== 'claim' || data.field_name !== 'affiliation' || !expert.value) {
            return;
        }
        const extra = 'expert=' + encodeURIComponent(expert.value);
        options.data = options.data ? options.data + '&' + extra : extra;
    });

    // Django's RelatedObjectLookups.js fires 'change' on every related select when the page loads:
    // clear the affiliation only when the expert really is a different one.
    let chosenExpert = expert.value;
    $(expert).on('change', function() {
        if (expert.value === chosenExpert) {
            return;
        }
        chosenExpert = expert.value;
        $(affiliation).val(null).trigger('change');
    });
});

// The review bar: each key works only on the button or link of the bar that declares it (aria-keyshortcuts): A
// approves and R rejects (each then opens the next claim of the queue), N skips to the next one. A decision the bar
// does not offer (approving an approved claim, approving without a speaker) has no element, or no key, so its key
// does nothing. Keys typed into a field, or with a modifier, are left alone.
document.addEventListener('DOMContentLoaded', function() {
    const bar = document.getElementById('review-bar');
    if (!bar) {
        return;
    }
    const targets = {};
    bar.querySelectorAll('[aria-keyshortcuts]').forEach(function(element) {
        targets[element.getAttribute('aria-keyshortcuts').toLowerCase()] = element;
    });
    document.addEventListener('keydown', function(event) {
        if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey || event.repeat) {
            return;
        }
        const active = event.target;
        if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) {
            return;
        }
        const target = targets[event.key.toLowerCase()];
        if (!target || target.disabled) {
            return;
        }
        event.preventDefault();
        target.click();
    });
});
