using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Infercost.Cli.Commands;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using Infercost.Serving;
using Spectre.Console;

namespace Infercost.Cli;

/// <summary>The <c>infercost</c> command line: builds the command tree, parses, runs, and maps failures to exit codes.</summary>
public static class CliApp
{
    // The one registration list: a new command (prices, margin, plan...) is one more line here.
    // Each command's name is listed beside its factory so that a run builds only the command it names: building all
    // of them (their options, descriptions and the catalogs those descriptions list) is most of a cold start's work.
    // Root help, an unknown or missing command, and --version build every one. HelpTests checks the names match.
    internal static readonly (string Name, Func<CliContext, Command> Create)[] Registrations =
    [
        ("cost", CostCommand.Create),
        ("fit", FitCommand.Create),
        ("sweep", SweepCommand.Create),
        ("check", CheckCommand.Create),
        ("compare", CompareCommand.Create),
        ("catalog", CatalogCommand.Create),
        ("validate", ValidateCommand.Create),
        ("kernels", KernelsCommand.Create),
        ("validate-online", OnlineCommand.Create),
        ("calibrate", CalibrateCommand.Create),
        ("calibrate-online", CalibrateOnlineCommand.Create),
        ("subscription", SubscriptionCommand.Create),
        ("price-curve", PriceCurveCommand.Create),
        ("pnl", PnlCommand.Create),
        ("prices", PricesCommand.Create),
        ("workload", WorkloadCommand.Create),
        ("margin", MarginCommand.Create),
        ("route", RouteCommand.Create),
        ("breakeven", BreakEvenCommand.Create),
        ("simulate", SimulateCommand.Create),
        ("plan", PlanCommand.Create),
        ("frontier", FrontierCommand.Create),
        ("serve", ServeCommand.Create),
        ("emulate", EmulateCommand.Create),
        ("measure", MeasureCommand.Create),
        ("datacenter", DatacenterCommand.Create),
        ("training", TrainingCommand.Create),
        ("session", SessionCommand.Create),
        ("speculate", SpeculateCommand.Create),
        ("search", SearchCommand.Create),
        ("cluster", ClusterCommand.Create),
        ("dataflow", DataflowCommand.Create),
    ];

    /// <summary>Runs the app with files read from disk.</summary>
    /// <returns>0 ok, 1 failure, 2 invalid input (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, IAnsiConsole console, TextWriter stdout, TextWriter stderr) =>
        Run(args, new CliContext(console, stdout, stderr, File.ReadAllText) { OpenFile = path => new StreamReader(path) });

    /// <summary>Runs the app in <paramref name="context"/>.</summary>
    /// <returns>0 ok, 1 failure, 2 invalid input (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        ParseResult? parse = null;
        // Tables go through one console that prints them in the format --format asks for.
        var formatting = new FormattingConsole(context.Console, context.Out, context.Error);
        context = context with { Console = formatting };
        try
        {
            parse = BuildRoot(context, args).Parse(args);
            if (parse.Action is ParseErrorAction && parse.Errors.Count > 0)
            {
                // One line, whatever System.CommandLine found, and where to look; help stays behind --help.
                var messages = parse.Errors.Select(e => NamingTheOption(e, parse, args)).Select(m => Regex.Replace(m, @"\s*[\r\n]+\s*", " ")).Distinct();
                context.Error.WriteLine(string.Join(" ", messages) + $" See '{CommandPath(parse)} --help'.");
                return ExitCodes.InvalidInput;
            }

            formatting.Format = CommonOptions.FormatOf(parse);
            var options = parse.CommandResult.Command.Options;
            if (options.FirstOrDefault(o => o.Name == CommonOptions.FormatName) is { } format && parse.GetResult(format) is { Implicit: false } given
                && options.FirstOrDefault(o => o.Name == "--json") is { } json && parse.GetResult(json) is { Implicit: false }
                && formatting.Format != OutputFormat.Json)
            {
                throw new InvalidInputException("format",
                    $"--format {(given.Tokens.Count > 0 ? given.Tokens[0].Value : "")} and --json ask for two formats; --json is --format json: give one of them.");
            }

            if (parse.Action is HelpAction)
            {
                // Help is written whole, then each option's default is kept once (HelpText.DefaultsOnce).
                using var help = new StringWriter();
                var shown = parse.Invoke(new InvocationConfiguration { Output = help, Error = context.Error, EnableDefaultExceptionHandler = false });
                context.Out.Write(HelpText.DefaultsOnce(help.ToString()));
                return shown;
            }

            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e) when (e is InvalidInputException or ModelDoesNotFitException)
        {
            context.Error.WriteLine(Printable(e is InvalidInputException invalid ? WithTypedOption(InFlagTerms(invalid), parse) : e.Message));
            return ExitCodes.InvalidInput;
        }
#pragma warning disable CA1031 // The shell's last line of defence: any other failure is one line, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            context.Error.WriteLine("error: " + Printable(FirstLine(e.Message)));
            return ExitCodes.Failure;
        }
    }

    // A refusal quotes the line it could not read; from a binary file that is raw bytes (NULs, escapes, invalid UTF-8),
    // which would reach the terminal. A quoted excerpt holding such bytes is replaced by what it is, and any other
    // control character by '?'.
    internal static string Printable(string message)
    {
        var quoted = Regex.Replace(message, @"'[^']*[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFD][^']*'", "binary data (not text)");
        return Regex.Replace(quoted, @"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFD]", "?");
    }

    // System.CommandLine's own messages for an option's value ("Argument 'x' not recognized. Must be one of: ...") do not
    // say which option; say it first.
    private static string NamingTheOption(ParseError error, ParseResult parse, string[] args)
    {
        // A word after a switch ("--json maybe") is left over as an unmatched token: say it was given to the switch.
        if (error.SymbolResult is CommandResult && parse.UnmatchedTokens.Count > 0)
        {
            var at = Array.IndexOf(args, parse.UnmatchedTokens[0]);
            if (at > 0 && parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == args[at - 1] || o.Aliases.Contains(args[at - 1])) is Option<bool> flag)
            {
                return $"{flag.Name} is a switch and takes no value (or true/false); was '{args[at]}'.";
            }
        }

        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        return option is null || Mentions(error.Message, option.Name) ? error.Message : $"{option.Name}: {error.Message}";
    }

    // A refusal that quotes a value the user typed ("unknown accelerator 'h100'") but not the option it came from (the
    // catalog does not know whether it was --gpu, --compare-gpu or --train-gpu) gets that option's name first.
    internal static string WithTypedOption(string message, ParseResult? parse)
    {
        if (parse is null) return message;
        var typed = parse.CommandResult.Children.OfType<OptionResult>()
            .Where(o => !o.Implicit && o.Tokens.Any(t => t.Value.Length > 0 && message.Contains($"'{t.Value}'", StringComparison.Ordinal)))
            .Select(o => o.Option.Name).Distinct().ToList();
        return typed.Count == 1 && !Mentions(message, typed[0]) ? $"{typed[0]}: {message}" : message;
    }

    // Whether the message names the option (with or without its dashes) as a word of its own.
    private static bool Mentions(string message, string option) =>
        Regex.IsMatch(message, $@"(?<![\w-])(?:--)?{Regex.Escape(option.TrimStart('-'))}(?![\w-])", RegexOptions.CultureInvariant);

    // The core names fields as its records do; where a message starts with such a name, say the flag the user typed.
    private static readonly Dictionary<string, string> CoreFieldFlags = new(StringComparer.Ordinal)
    {
        ["tensorParallel"] = "tp",
        ["pipelineParallel"] = "pp",
        ["expertParallel"] = "ep",
        ["attentionDataParallel"] = "dp",
        ["computePrecision"] = "compute",
        ["purchasePrice"] = "purchase-price",
        ["gpuPrice"] = "gpu-price",
        ["inputTokens"] = "input",
        ["outputTokens"] = "output",
        ["memoryReserveFraction"] = "reserve",
        ["prefillChunkTokens"] = "prefill-chunk",
        ["maxBatch"] = "max-batch",
        ["prefillDevicesPerReplica"] = "prefill-gpus-per-replica",
        ["decodeDevicesPerReplica"] = "decode-gpus-per-replica",
        ["cachedTokens"] = "cached-tokens",
    };

    // A request record's fields are the camelCase of the flags (Infercost.Requests.RequestFields): a message that
    // refers to fields by {name} gets each as --flag; one that starts with its field starts with the flag as typed.
    internal static string InFlagTerms(InvalidInputException e)
    {
        if (e.Template is { } template) return RequestFields.Render(template, f => "--" + RequestFields.FlagOf(f));
        if (!e.Message.StartsWith(e.Field, StringComparison.Ordinal) || !(CoreFieldFlags.ContainsKey(e.Field) || RequestFields.Names.Contains(e.Field))) return e.Message;
        var flag = CoreFieldFlags.TryGetValue(e.Field, out var known) ? known : RequestFields.FlagOf(e.Field);
        return "--" + flag + e.Message[e.Field.Length..];
    }

    /// <summary>The root command with every registered subcommand.</summary>
    public static Command BuildRoot(CliContext context) => BuildRoot(context, []);

    /// <summary>The root command with the subcommand <paramref name="args"/> names (its first argument), or with every
    /// subcommand when the first argument names none.</summary>
    public static Command BuildRoot(CliContext context, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // A plain command rather than RootCommand, whose name comes from the executable (Infercost.Cli here, because
        // the assembly cannot be called "infercost"; see the csproj). Help and version are added as RootCommand would.
        var root = new Command("infercost",
            "infercost: what serving a large language model costs, from first principles (rooflines, memory, prices)." +
            "\n\nExample:\n  infercost cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 72");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        var named = args.Count > 0 ? Array.FindIndex(Registrations, r => r.Name == args[0]) : -1;
        if (named >= 0) root.Subcommands.Add(Registrations[named].Create(context));
        else foreach (var (_, create) in Registrations) root.Subcommands.Add(create(context));
        AddFormat(root);
        return root;
    }

    // Every command that prints a result record as --json prints its tables as --format says.
    private static void AddFormat(Command command)
    {
        if (command.Options.Any(o => o.Name == "--json") && !command.Options.Any(o => o.Name == CommonOptions.FormatName))
        {
            command.Options.Add(CommonOptions.Format());
        }

        foreach (var sub in command.Subcommands) AddFormat(sub);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult c) names.Add(c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
